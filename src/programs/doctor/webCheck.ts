import type { LoadedConfig } from "../../services/AppConfig.js"
import { isLoopbackHost } from "../web/guard.js"
import { tokenFileOf } from "../web/token.js"
import type { CheckResult } from "./checkResult.js"

/** `[web]`: where `run --web` would listen, where its token lives; a warning when others can reach it. */
export const webCheck = (config: LoadedConfig): CheckResult => {
  const { host, port } = config.settings.web
  const where = `run --web listens on ${host}:${port === 0 ? "any free port" : port}; token in ${tokenFileOf(config.settings.event_store_path)}`
  return isLoopbackHost(host)
    ? { name: "web", status: "ok", detail: where, required: false }
    : { name: "web", status: "warn", detail: `${where}; ${host} is reachable from other machines (the token still guards every request)`, required: false }
}
