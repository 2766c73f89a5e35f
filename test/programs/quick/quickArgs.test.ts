import { describe, expect, it } from "vitest"
import { parseQuickSessionsList } from "../../../src/programs/quick/quickArgs.js"

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
