// The early frame of `run`: bin/orchestrator.js draws the screen's first frame from the store with
// this (bundled on its own to dist/early.cjs: plain Node, better-sqlite3 and chalk, no Effect, Ink or
// React) before it loads the full program, whose Ink screen then takes the frame over (ui/mount.tsx).
// It draws only what the quick store reader can answer; in every other case it draws nothing and
// `run` starts as it always did.
import { programBuild } from "./programs/cli/programBuild.js"
import { parseQuickRun } from "./programs/quick/quickArgs.js"
import { readOpenInbox, readQuickStore, readSessions } from "./programs/quick/quickStore.js"
import { storedSessionItems } from "./programs/view/listFold.js"
import { earlyFrameFits, earlyFrameText } from "./ui/earlyFrame.js"
import { type EarlyTerminal, holdEarlyFrame } from "./ui/earlyFrameHold.js"
import { resolveTheme } from "./ui/theme.js"

/** The titles of the sessions' tickets: the list shows them beside the ticket key. */
const titlesStatement = "SELECT id, title FROM tickets WHERE id IN (SELECT ticket_id FROM sessions)"

const isTitleRow = (row: unknown): row is { readonly id: string; readonly title: string } =>
  typeof row === "object" && row !== null && "id" in row && typeof row.id === "string" && "title" in row && typeof row.title === "string"

/**
 * Draws the first frame of a plain interactive `run` and holds the terminal for the screen; false
 * (nothing written) when these arguments, this terminal or this store are not for it.
 */
export const drawEarlyFrame = (
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string | undefined>> = process.env,
  terminal: EarlyTerminal = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }
): boolean => {
  if (terminal.stdin.isTTY !== true || terminal.stdout.isTTY !== true) return false
  const { columns, rows } = terminal.stdout
  if (!earlyFrameFits(columns, rows)) return false
  const command = parseQuickRun(args)
  if (command === undefined) return false
  const read = readQuickStore(command.config, env, programBuild, (db) => {
    const sessions = readSessions(db, {})
    const inbox = readOpenInbox(db)
    const titles = db.prepare(titlesStatement).all()
    return sessions === undefined || inbox === undefined || !titles.every(isTitleRow)
      ? undefined
      : { sessions, inbox, titles: new Map(titles.map((t) => [t.id, t.title])) }
  })
  // Warnings are printed by the full start, on the main screen where they stay readable.
  if (read === undefined || read.checked.warnings.length > 0) return false
  const theme = read.checked.theme
  if (theme !== "nord" && theme !== "default") return false
  const { sessions, inbox, titles } = read.value
  const frame = earlyFrameText({ columns, rows, sessions: storedSessionItems(sessions, titles), inbox, theme: resolveTheme(theme, env) })
  holdEarlyFrame(terminal, frame)
  return true
}
