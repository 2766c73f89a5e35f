// @effect/cli can parse YAML/TOML/INI argument files; orchestrator never asks it to, so the bundle
// carries this stub instead of three parsers it would load on every start.
const unavailable = () => {
  throw new Error("this parser is not bundled with orchestrator")
}
export const parse = unavailable
export default { parse: unavailable }
