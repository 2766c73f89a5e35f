import { createHash } from "node:crypto"
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import * as NodePath from "node:path"

/**
 * What a full start proved about a configuration file: that this text, read with these locations by
 * this version of the program, is a valid configuration whose event store is `eventStorePath`.
 * The quick start path (src/quick.ts) acts on it only while every field still matches; any change
 * (an edited file, another HOME, an upgrade) sends the command through the full path, which
 * validates again and writes a new record. It holds paths and warnings, never a secret.
 * `programVersion` is the version and build id (src/programs/programBuild.ts).
 */
export interface CheckedConfig {
  readonly format: 1
  readonly programVersion: string
  readonly configFile: string
  readonly sha256: string
  readonly home: string
  readonly xdgDataHome: string | null
  readonly eventStorePath: string
  readonly busyTimeoutMs: number
  readonly warnings: ReadonlyArray<string>
  /** `[ui] theme`, for the early frame of `run` (src/earlyFrame.ts); absent in records of older builds. */
  readonly theme?: string
}

/** The fields a reader knows before it trusts a record: what the record must have been made from. */
export type CheckedConfigKey = Pick<CheckedConfig, "programVersion" | "configFile" | "sha256" | "home" | "xdgDataHome">

export const sha256Hex = (text: string): string => createHash("sha256").update(text).digest("hex")

/** One record per configuration file, in the cache dir. */
export const checkedConfigFile = (cacheDir: string, configFile: string): string =>
  NodePath.join(cacheDir, `checked-config-${sha256Hex(configFile).slice(0, 16)}.json`)

/** Best effort: a cache dir that cannot be written only costs the next start its quick path. */
export const writeCheckedConfig = (cacheDir: string, record: CheckedConfig): void => {
  const file = checkedConfigFile(cacheDir, record.configFile)
  const text = JSON.stringify(record)
  try {
    if (readFileSync(file, "utf8") === text) return
  } catch {
    // not written yet
  }
  try {
    mkdirSync(cacheDir, { recursive: true })
    const temporary = `${file}.${process.pid}`
    writeFileSync(temporary, text)
    renameSync(temporary, file)
  } catch {
    // read-only or missing cache dir
  }
}

const isCheckedConfig = (value: unknown): value is CheckedConfig => {
  if (typeof value !== "object" || value === null) return false
  const record = value as Record<string, unknown>
  return (
    record.format === 1 &&
    typeof record.programVersion === "string" &&
    typeof record.configFile === "string" &&
    typeof record.sha256 === "string" &&
    typeof record.home === "string" &&
    (record.xdgDataHome === null || typeof record.xdgDataHome === "string") &&
    typeof record.eventStorePath === "string" &&
    typeof record.busyTimeoutMs === "number" &&
    Array.isArray(record.warnings) &&
    record.warnings.every((warning) => typeof warning === "string") &&
    (record.theme === undefined || typeof record.theme === "string")
  )
}

/** The record for `key.configFile`, only if it was made from exactly `key`. */
export const readCheckedConfig = (cacheDir: string, key: CheckedConfigKey): CheckedConfig | undefined => {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(checkedConfigFile(cacheDir, key.configFile), "utf8"))
  } catch {
    return undefined
  }
  if (!isCheckedConfig(parsed)) return undefined
  const matches =
    parsed.programVersion === key.programVersion &&
    parsed.configFile === key.configFile &&
    parsed.sha256 === key.sha256 &&
    parsed.home === key.home &&
    parsed.xdgDataHome === key.xdgDataHome
  return matches ? parsed : undefined
}
