import { describe, expect, it } from "vitest"
import { parseQuickRun, parseQuickSessionsList } from "../../../src/programs/quick/quickArgs.js"

describe("parseQuickSessionsList", () => {
  it("takes `sessions list` with --json, --state and the global --config and --verbose, wherever the CLI allows them", () => {
    expect(parseQuickSessionsList(["sessions", "list"])).toEqual({ config: undefined, json: false, state: undefined })
    expect(parseQuickSessionsList(["sessions", "list", "--json"])).toEqual({ config: undefined, json: true, state: undefined })
    expect(parseQuickSessionsList(["--config", "/c.toml", "sessions", "list", "--state", "Running"])).toEqual({
      config: "/c.toml",
      json: false,
      state: "Running"
    })
    expect(parseQuickSessionsList(["sessions", "list", "--state=Done", "--config=~/my conf ü.toml", "--verbose", "--json"])).toEqual({
      config: "~/my conf ü.toml",
      json: true,
      state: "Done"
    })
    expect(parseQuickSessionsList(["sessions", "--verbose", "list"])).toEqual({ config: undefined, json: false, state: undefined })
  })

  it("leaves everything else to the full CLI: help, other commands, unknown or repeated flags, bad values", () => {
    const full = [
      [],
      ["sessions"],
      ["sessions", "show", "ses-1"],
      ["sessions", "list", "extra"],
      ["tickets", "list"],
      ["list", "sessions"],
      ["sessions", "list", "--help"],
      ["sessions", "list", "-h"],
      ["--version"],
      ["sessions", "--json", "list"],
      ["sessions", "list", "--json", "--json"],
      ["sessions", "list", "--json=true"],
      ["sessions", "list", "--state", "Sleeping"],
      ["sessions", "list", "--state"],
      ["sessions", "list", "--state", "--json"],
      ["sessions", "list", "--config"],
      ["sessions", "list", "--config="],
      ["sessions", "list", "--config", "a", "--config", "b"],
      ["sessions", "list", "--harness-provider", "harness.codex"],
      ["sessions", "list", "--", "--json"],
      ["sessions", "list", "--wizard"]
    ]
    for (const args of full) expect(parseQuickSessionsList(args), args.join(" ")).toBeUndefined()
  })
})

describe("parseQuickRun", () => {
  it("takes a plain `run` with the global --config and --verbose; any other flag or word is the full CLI's", () => {
    expect(parseQuickRun(["run"])).toEqual({ config: undefined })
    expect(parseQuickRun(["--config", "/c/my config.toml", "run", "--verbose"])).toEqual({ config: "/c/my config.toml" })
    expect(parseQuickRun(["run", "--config=c.toml"])).toEqual({ config: "c.toml" })
    const full = [[], ["run", "--headless"], ["run", "--demo"], ["run", "--web"], ["run", "--help"], ["run", "now"], ["runner"], ["run", "--config"], ["--ticketing-provider", "ticketing.local", "run"]]
    for (const args of full) expect(parseQuickRun(args), args.join(" ")).toBeUndefined()
  })
})
