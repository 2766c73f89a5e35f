import chalk, { type ForegroundColorName, foregroundColorNames } from "chalk"
import stringWidth from "string-width"
import { terminalLine } from "../domain/terminalText.js"
import type { InboxEntry, SessionItem } from "../programs/view/viewModel.js"
import { CLEAR_SCREEN, ENTER_ALT_SCREEN, HIDE_CURSOR } from "./alternateScreen.js"
import { fitHints, footerHints } from "./footerHints.js"
import { inboxLines, inboxRows, sessionListLines, sessionMark, sessionRows, urgentLanes } from "./listRows.js"
import { listWindow, splitHeight } from "./listWindow.js"
import type { Theme } from "./theme.js"
import { orderedSessions } from "./uiState.js"

// The `run` screen's first frame drawn as plain text, without Ink or React, while they and the
// engine load (src/earlyFrame.ts): the same layout, colours and rows as App.tsx draws with nothing
// focused, so Ink's first frame replaces it in place. What it cannot know yet says so.

/** Shown where the screen has not loaded yet (the main pane); Ink's frame never shows it. */
export const EARLY_FRAME_NOTE = "loading…"

/** The smallest terminal the early frame draws in; a smaller one waits for the screen. */
export const earlyFrameFits = (columns: number, rows: number): boolean => columns >= 60 && rows >= 12

interface Style {
  readonly color?: string
  readonly bold?: boolean
  readonly inverse?: boolean
}

const isColorName = (color: string): color is ForegroundColorName => (foregroundColorNames as ReadonlyArray<string>).includes(color)

/** Colours as Ink's Text applies them (named chalk colours or hex; an empty token is no colour), through the same chalk. */
const paint = (text: string, style: Style): string => {
  let painted = text
  const color = style.color ?? ""
  if (color.startsWith("#")) painted = chalk.hex(color)(painted)
  else if (isColorName(color)) painted = chalk[color](painted)
  if (style.bold === true) painted = chalk.bold(painted)
  if (style.inverse === true) painted = chalk.inverse(painted)
  return painted
}

const graphemes = new Intl.Segmenter()
const printableAscii = /^[\x20-\x7e]*$/

/** Columns the text takes; plain ASCII (most rows) without string-width's per-grapheme work. */
const widthOf = (text: string): number => (printableAscii.test(text) ? text.length : stringWidth(text))

/**
 * Cut to `width` columns ending in …, as Ink's wrap="truncate" does: it keeps every grapheme that
 * starts before the last column, so a wide one there makes the line one column longer (and the
 * frames must match to the column).
 */
const truncate = (text: string, width: number): string => {
  if (widthOf(text) <= width) return text
  let kept = ""
  let used = 0
  for (const { segment } of graphemes.segment(text)) {
    if (used >= width - 1) break
    kept += segment
    used += widthOf(segment)
  }
  return `${kept}…`
}

interface Line {
  readonly text: string
  readonly style: Style
}

const line = (text: string, style: Style = {}): Line => ({ text, style })

/** The left column's content as SessionList and InboxLanes draw it, with nothing focused and the first session selected. */
const leftColumn = (sessions: ReadonlyArray<SessionItem>, inbox: ReadonlyArray<InboxEntry>, theme: Theme, rows: number): ReadonlyArray<Line> => {
  const bodyHeight = Math.max(8, rows - 3)
  const [sessionsHeight, inboxHeight] = splitHeight(bodyHeight - 2, sessionListLines(sessions), inboxLines(inbox), 1 / 3, 3)
  const selectedId = orderedSessions(sessions)[0]?.sessionId ?? null
  const listed = sessionRows(sessions)
  const cursor = listed.findIndex((row) => row._tag === "item" && row.item.sessionId === selectedId)
  const window = listWindow(listed, cursor, Math.max(1, sessionsHeight - 1))
  const lanes = listWindow(inboxRows(inbox), -1, Math.max(1, inboxHeight - 2))
  const secondary = { color: theme.text.secondary }
  const more = (count: number, arrow: string) => (count > 0 ? [line(`${arrow} ${count} more`, secondary)] : [])
  return [
    line("Sessions", { bold: true, color: theme.text.accent }),
    ...(sessions.length === 0 ? [line("none yet: press s", secondary)] : []),
    ...more(window.above, "↑"),
    ...window.rows.map((row) =>
      row._tag === "group"
        ? line(row.title, secondary)
        : line(` ${sessionMark(row.item)} ${terminalLine(row.item.label)} ${terminalLine(row.item.title)}`, {
            inverse: row.item.sessionId === selectedId,
            color: row.item.active ? theme.status.active : theme.text.primary
          })
    ),
    ...more(window.below, "↓"),
    line(""),
    line(`Inbox ${inbox.length === 0 ? "· empty" : `· ${inbox.length}`}`, { bold: true, color: theme.text.accent }),
    ...more(lanes.above, "↑"),
    ...lanes.rows.map((row) =>
      row._tag === "group"
        ? line(row.title, { color: urgentLanes.has(row.title) ? theme.status.warning : theme.text.secondary })
        : line(` ${terminalLine(row.item.title)}`)
    ),
    ...more(lanes.below, "↓")
  ]
}

export interface EarlyFrameInput {
  readonly columns: number
  readonly rows: number
  /** The stored sessions as the list shows them (listFold's `storedSessionItems`). */
  readonly sessions: ReadonlyArray<SessionItem>
  /** The open inbox, most urgent first. */
  readonly inbox: ReadonlyArray<InboxEntry>
  readonly theme: Theme
}

/** The frame as terminal output: it enters the alternate screen, draws every line in place and leaves the cursor hidden at the top left. */
export const earlyFrameText = ({ columns, rows, sessions, inbox, theme }: EarlyFrameInput): string => {
  const listWidth = Math.min(40, Math.floor(columns / 3))
  const inner = listWidth - 4
  const border = (text: string) => paint(text, { color: theme.border.default })
  const content = leftColumn(sessions, inbox, theme, rows)
  const side = border("│")
  const lines: Array<string> = [
    `${border(`┌${"─".repeat(listWidth - 2)}┐`)} ${paint(EARLY_FRAME_NOTE, { color: theme.text.secondary })}`,
    ...Array.from({ length: rows - 3 }, (_, i) => {
      const entry = content[i]
      const text = entry === undefined ? "" : truncate(entry.text, inner)
      const shown = entry === undefined ? "" : paint(text, entry.style)
      // The padding on the right takes what is left; a truncated line ending in a wide grapheme takes one column of it, as in Ink.
      return `${side} ${shown}${" ".repeat(Math.max(0, inner + 1 - widthOf(text)))}${side}`
    }),
    border(`└${"─".repeat(listWidth - 2)}┘`),
    paint(truncate(fitHints("[normal] ", footerHints("normal"), columns), columns), { color: theme.text.secondary })
  ]
  return ENTER_ALT_SCREEN + HIDE_CURSOR + CLEAR_SCREEN + lines.map((text, i) => `\u001b[${i + 1};1H${text}`).join("") + "\u001b[H"
}
