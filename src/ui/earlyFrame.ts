import chalk from "chalk"
import stringWidth from "string-width"
import { terminalLine } from "../domain/terminalText.js"
import type { SessionItem } from "../programs/view/viewModel.js"
import { CLEAR_SCREEN, ENTER_ALT_SCREEN, HIDE_CURSOR } from "./alternateScreen.js"
import { fitHints, footerHints } from "./footerHints.js"
import { inboxLines, sessionListLines, sessionMark, sessionRows } from "./listRows.js"
import { listWindow, splitHeight } from "./listWindow.js"
import type { Theme } from "./theme.js"
import { orderedSessions } from "./uiState.js"

// The `run` screen's first frame drawn as plain text, without Ink or React, while they and the
// engine load (src/earlyFrame.ts): the same layout, colours and rows as App.tsx draws with nothing
// focused, so Ink's first frame replaces it in place. What it cannot know yet says so.

/** Shown where the screen has not loaded yet (the main pane, the inbox's count); Ink's frame never shows it. */
export const EARLY_FRAME_NOTE = "loading…"

/** The smallest terminal the early frame draws in; a smaller one waits for the screen. */
export const earlyFrameFits = (columns: number, rows: number): boolean => columns >= 60 && rows >= 12

interface Style {
  readonly color?: string
  readonly bold?: boolean
  readonly inverse?: boolean
}

/** Colours as Ink's Text applies them (named chalk colours or hex; an empty token is no colour), through the same chalk. */
const paint = (text: string, style: Style): string => {
  let painted = text
  const color = style.color ?? ""
  if (color.startsWith("#")) painted = chalk.hex(color)(painted)
  else if (color !== "" && color in chalk) painted = Reflect.apply(Reflect.get(chalk, color), chalk, [painted])
  if (style.bold === true) painted = chalk.bold(painted)
  if (style.inverse === true) painted = chalk.inverse(painted)
  return painted
}

const graphemes = new Intl.Segmenter()

/** At most `width` columns, ending in … when cut (Ink's wrap="truncate"). */
const truncate = (text: string, width: number): string => {
  if (stringWidth(text) <= width) return text
  let kept = ""
  for (const { segment } of graphemes.segment(text)) {
    if (stringWidth(kept + segment) > width - 1) break
    kept += segment
  }
  return `${kept}…`
}

interface Line {
  readonly text: string
  readonly style: Style
}

const line = (text: string, style: Style = {}): Line => ({ text, style })

/** The left column's content as SessionList and InboxLanes draw it: nothing focused, the first session selected, the inbox not read yet. */
const leftColumn = (sessions: ReadonlyArray<SessionItem>, theme: Theme, rows: number): ReadonlyArray<Line> => {
  const bodyHeight = Math.max(8, rows - 3)
  const [sessionsHeight] = splitHeight(bodyHeight - 2, sessionListLines(sessions), inboxLines([]), 1 / 3, 3)
  const selectedId = orderedSessions(sessions)[0]?.sessionId ?? null
  const listed = sessionRows(sessions)
  const cursor = listed.findIndex((row) => row._tag === "item" && row.item.sessionId === selectedId)
  const window = listWindow(listed, cursor, Math.max(1, sessionsHeight - 1))
  const secondary = { color: theme.text.secondary }
  return [
    line("Sessions", { bold: true, color: theme.text.accent }),
    ...(sessions.length === 0 ? [line("none yet: press s", secondary)] : []),
    ...(window.above > 0 ? [line(`↑ ${window.above} more`, secondary)] : []),
    ...window.rows.map((row) =>
      row._tag === "group"
        ? line(row.title, secondary)
        : line(` ${sessionMark(row.item)} ${terminalLine(row.item.label)} ${terminalLine(row.item.title)}`, {
            inverse: row.item.sessionId === selectedId,
            color: row.item.active ? theme.status.active : theme.text.primary
          })
    ),
    ...(window.below > 0 ? [line(`↓ ${window.below} more`, secondary)] : []),
    line(""),
    line(`Inbox · ${EARLY_FRAME_NOTE}`, { bold: true, color: theme.text.accent })
  ]
}

export interface EarlyFrameInput {
  readonly columns: number
  readonly rows: number
  /** The stored sessions as the list shows them (listFold's `storedSessionItems`). */
  readonly sessions: ReadonlyArray<SessionItem>
  readonly theme: Theme
}

/** The frame as terminal output: it enters the alternate screen, draws every line in place and leaves the cursor hidden at the top left. */
export const earlyFrameText = ({ columns, rows, sessions, theme }: EarlyFrameInput): string => {
  const listWidth = Math.min(40, Math.floor(columns / 3))
  const inner = listWidth - 4
  const border = (text: string) => paint(text, { color: theme.border.default })
  const content = leftColumn(sessions, theme, rows)
  const side = border("│")
  const lines: Array<string> = [
    `${border(`┌${"─".repeat(listWidth - 2)}┐`)} ${paint(EARLY_FRAME_NOTE, { color: theme.text.secondary })}`,
    ...Array.from({ length: rows - 3 }, (_, i) => {
      const entry = content[i]
      const text = entry === undefined ? "" : truncate(entry.text, inner)
      const shown = entry === undefined ? "" : paint(text, entry.style)
      return `${side} ${shown}${" ".repeat(Math.max(0, inner - stringWidth(text)))} ${side}`
    }),
    border(`└${"─".repeat(listWidth - 2)}┘`),
    paint(truncate(fitHints("[normal] ", footerHints("normal"), columns), columns), { color: theme.text.secondary })
  ]
  return ENTER_ALT_SCREEN + HIDE_CURSOR + CLEAR_SCREEN + lines.map((text, i) => `\u001b[${i + 1};1H${text}`).join("") + "\u001b[H"
}
