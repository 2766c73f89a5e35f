import { sessionsJsonText, sessionsTableText } from "../cli/sessionsOutput.js"
import type { QuickSessionsList } from "./quickArgs.js"
import { readQuickStore, readSessions } from "./quickStore.js"

/** What the command prints. */
export interface QuickOutput {
  readonly stdout: string
  readonly stderr: string
}

/**
 * `orchestrator sessions list` without loading the full CLI, for the command people run all day.
 * It answers only when the quick store reader does (see `readQuickStore`); otherwise it returns
 * undefined and the full CLI runs the command.
 */
export const quickSessionsList = (
  command: QuickSessionsList,
  env: Readonly<Record<string, string | undefined>>,
  programVersion: string,
  now: number
): QuickOutput | undefined => {
  const read = readQuickStore(command.config, env, programVersion, (db) => readSessions(db, command.state === undefined ? {} : { state: command.state }))
  if (read === undefined) return undefined
  return {
    stdout: `${command.json ? sessionsJsonText(read.value) : sessionsTableText(read.value, now)}\n`,
    stderr: read.checked.warnings.map((warning) => `warning: ${warning}\n`).join("")
  }
}
