import { Box } from "ink"
import stringWidth from "string-width"
import { Text } from "./Text.js"
import type { Theme } from "../theme.js"
import { type EditText, graphemes } from "../textEdit.js"

export interface InputLineProps {
  readonly inserting: boolean
  readonly edit: EditText
  readonly turnActive: boolean
  /** Columns the input has; a longer line wraps. */
  readonly width: number
  readonly theme: Theme
}

/** Rows the input shows at most; a longer text keeps the rows around the cursor. */
export const INPUT_MAX_ROWS = 6

interface Row {
  readonly before: string
  /** The grapheme under the cursor (a space at a line's end); null on rows without the cursor. */
  readonly cursor: string | null
  readonly after: string
}

/** The typed text as screen rows of `width` columns, the cursor's grapheme marked. */
export const inputRows = (edit: EditText, width: number, prompt: string): ReadonlyArray<Row> => {
  const rows: Array<Row> = []
  let offset = 0
  edit.text.split("\n").forEach((line, lineIndex) => {
    let used = lineIndex === 0 ? stringWidth(prompt) : 2
    let row = { before: "", cursor: null as string | null, after: "" }
    const pieces = [...graphemes(line), " "]
    pieces.forEach((piece, i) => {
      const last = i === pieces.length - 1
      const atCursor = offset === edit.cursor
      const w = Math.max(1, stringWidth(piece))
      if (used + w > width && (row.before !== "" || row.cursor !== null || row.after !== "")) {
        rows.push(row)
        row = { before: "", cursor: null, after: "" }
        used = 2
      }
      used += w
      if (atCursor) row = { ...row, cursor: piece }
      else if (!last) row = row.cursor === null ? { ...row, before: row.before + piece } : { ...row, after: row.after + piece }
      if (!last) offset += piece.length
    })
    rows.push(row)
    offset += 1 // the newline
  })
  return rows
}

const promptOf = (turnActive: boolean) => (turnActive ? "steer › " : "message › ")

/** How many rows the input takes, so the transcript above can give them up. */
export const inputHeight = (inserting: boolean, edit: EditText, width: number, turnActive: boolean): number =>
  inserting ? Math.min(INPUT_MAX_ROWS, inputRows(edit, width, promptOf(turnActive)).length) : 1

/** The text to message the agent, any length and several lines; while a turn runs, what is sent steers it. */
export const InputLine = ({ inserting, edit, turnActive, width, theme }: InputLineProps) => {
  if (!inserting) return <Text color={theme.text.secondary}>{turnActive ? "i: steer the running turn" : "i: message the agent"}</Text>
  const prompt = promptOf(turnActive)
  const rows = inputRows(edit, width, prompt)
  const cursorRow = Math.max(0, rows.findIndex((r) => r.cursor !== null))
  const from = Math.max(0, Math.min(cursorRow - INPUT_MAX_ROWS + 1, rows.length - INPUT_MAX_ROWS))
  return (
    <Box flexDirection="column" flexShrink={0}>
      {rows.slice(from, from + INPUT_MAX_ROWS).map((row, i) => (
        <Text key={from + i} color={theme.text.primary} wrap="truncate">
          {from + i === 0 ? prompt : "  "}
          {row.before}
          {row.cursor !== null ? <Text inverse>{row.cursor}</Text> : null}
          {row.after}
        </Text>
      ))}
    </Box>
  )
}
