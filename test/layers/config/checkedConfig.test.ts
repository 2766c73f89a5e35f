import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import {
  type CheckedConfig,
  checkedConfigFile,
  readCheckedConfig,
  sha256Hex,
  writeCheckedConfig
} from "../../../src/layers/config/checkedConfig.js"

let dir = ""
beforeEach(() => {
  dir = mkdtempSync(NodePath.join(tmpdir(), "orch-checked-"))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const record: CheckedConfig = {
  format: 1,
  programVersion: "1.2.3",
  configFile: "/home/ana/.config/orchestrator/config.toml",
  sha256: sha256Hex("ticketing_provider = \"ticketing.local\"\n"),
  home: "/home/ana",
  xdgDataHome: null,
  eventStorePath: "/home/ana/.local/share/orchestrator/events.sqlite",
  busyTimeoutMs: 5000,
  warnings: ['/home/ana/.config/orchestrator/config.toml: unknown key "colour" is ignored']
}
const keyOf = ({ programVersion, configFile, sha256, home, xdgDataHome }: CheckedConfig) => ({
  programVersion,
  configFile,
  sha256,
  home,
  xdgDataHome
})

describe("the checked-config record", () => {
  it("is read back only for exactly the file text, locations and program version it was made from", () => {
    const cache = NodePath.join(dir, "cache", "orchestrator")
    writeCheckedConfig(cache, record)
    expect(readCheckedConfig(cache, keyOf(record))).toEqual(record)
    expect(readCheckedConfig(cache, { ...keyOf(record), sha256: sha256Hex("ticketing_provider = \"ticketing.linear\"\n") })).toBeUndefined()
    expect(readCheckedConfig(cache, { ...keyOf(record), home: "/home/bob" })).toBeUndefined()
    expect(readCheckedConfig(cache, { ...keyOf(record), xdgDataHome: "/data" })).toBeUndefined()
    expect(readCheckedConfig(cache, { ...keyOf(record), programVersion: "1.2.4" })).toBeUndefined()
    expect(readCheckedConfig(cache, { ...keyOf(record), configFile: "/etc/other.toml" })).toBeUndefined()
  })

  it("a damaged record reads as none, and an unwritable cache dir is not an error", () => {
    const cache = NodePath.join(dir, "cache")
    writeCheckedConfig(cache, record)
    writeFileSync(checkedConfigFile(cache, record.configFile), '{"format":1,"programVersion":')
    expect(readCheckedConfig(cache, keyOf(record))).toBeUndefined()
    writeFileSync(checkedConfigFile(cache, record.configFile), JSON.stringify({ ...record, busyTimeoutMs: "soon" }))
    expect(readCheckedConfig(cache, keyOf(record))).toBeUndefined()

    const locked = NodePath.join(dir, "locked")
    writeFileSync(locked, "a file where the cache dir should be")
    expect(() => writeCheckedConfig(NodePath.join(locked, "orchestrator"), record)).not.toThrow()
    // no temporary file left behind by the writes
    expect(readdirSync(cache)).toEqual([NodePath.basename(checkedConfigFile(cache, record.configFile))])
  })
})
