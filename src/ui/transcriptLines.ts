import stringWidth from "string-width"
import { terminalLine } from "../domain/terminalText.js"
import { graphemes } from "./textEdit.js"
import type { BlockKind, TranscriptBlock } from "../programs/view/viewModel.js"

export interface TranscriptLine {
  readonly key: string
  readonly kind: BlockKind
  readonly text: string
}

// Orchestrator's own long instructions (the planning prelude) fold like the agent's reasoning.
const foldable: ReadonlySet<BlockKind> = new Set(["reasoning", "command", "fileChange", "system"])

const prefix: Record<BlockKind, string> = {
  message: "",
  user: "you › ",
  reasoning: "∴ ",
  command: "$ ",
  fileChange: "± ",
  plan: "☐ ",
  system: "· ",
  skipped: "… "
}

/** Lines after a block's first are indented by this much, and so are the wrapped rest of a line. */
const INDENT = "  "

// Most agent text is printable ASCII: one column a character, no need to ask string-width.
const ascii = /^[\x20-\x7e]*$/
const widthOf = (text: string): number => (ascii.test(text) ? text.length : stringWidth(text))

/** A word wider than the row, cut into pieces of at most `room` columns (by grapheme). */
const hardSplit = (word: string, room: number): Array<string> => {
  const pieces: Array<string> = []
  let piece = ""
  let used = 0
  for (const grapheme of graphemes(word)) {
    const w = widthOf(grapheme)
    if (used + w > room && piece !== "") {
      pieces.push(piece)
      piece = ""
      used = 0
    }
    piece += grapheme
    used += w
  }
  if (piece !== "") pieces.push(piece)
  return pieces
}

/**
 * Greedy word wrap of plain text to `room` columns: spaces inside a row are kept, a row's trailing
 * spaces dropped, the rows after the first start at a word. (wrap-ansi gives the same rows but,
 * handling ANSI, costs some 20 ms for a 2,000-character paragraph; a streamed one is rewrapped ten
 * times a second.)
 */
const wrapWords = (text: string, room: number): Array<string> => {
  const rows: Array<string> = []
  let row = ""
  let used = 0
  let gap = ""
  for (const token of text.split(/( +)/)) {
    if (token === "") continue
    if (token.startsWith(" ")) {
      gap = token
      continue
    }
    const w = widthOf(token)
    const gapWidth = row === "" && rows.length > 0 ? 0 : gap.length
    if (used + gapWidth + w <= room) {
      row += (gapWidth > 0 ? gap : "") + token
      used += gapWidth + w
    } else if (w <= room) {
      if (row !== "" || rows.length > 0 || used > 0) rows.push(row)
      row = token
      used = w
    } else {
      // Too wide for any row: fill the current row, then whole rows, and keep the rest.
      const start = row === "" ? "" : row + gap
      const pieces = hardSplit(token, room)
      const first = pieces[0] ?? ""
      if (start !== "" && used + gap.length + widthOf(first) <= room) {
        rows.push(start + first)
        pieces.shift()
      } else if (row !== "") rows.push(row)
      const last = pieces.pop() ?? ""
      rows.push(...pieces)
      row = last
      used = widthOf(last)
    }
    gap = ""
  }
  rows.push(row)
  return rows
}

/**
 * One logical line wrapped at word boundaries to `width` columns (wide characters and emoji count
 * two), a word longer than the width cut; the lines after the first get `hanging` in front.
 */
export const wrapLine = (text: string, width: number, hanging = ""): ReadonlyArray<string> => {
  const plain = terminalLine(text.replace(/\t/g, "  "))
  if (widthOf(plain) <= width) return [plain]
  const [first = "", ...rest] = wrapWords(plain, Math.max(1, width - widthOf(hanging)))
  // The first line may use the columns the hanging indent takes from the others.
  return [first.trimEnd(), ...rest.map((line) => hanging + line.trimEnd())]
}

const linesOf = (block: TranscriptBlock, expanded: boolean, width: number): ReadonlyArray<TranscriptLine> => {
  const all = block.text.split("\n")
  const folded = !expanded && foldable.has(block.kind) && all.length > 1
  const shown = folded ? [`${all[0] ?? ""}  [+${all.length - 1} lines, z]`] : all
  const lines: Array<TranscriptLine> = []
  shown.forEach((text, i) => {
    const head = i === 0 ? prefix[block.kind] : INDENT
    for (const line of wrapLine(head + text, width, INDENT)) lines.push({ key: `${block.id}:${lines.length}`, kind: block.kind, text: line })
  })
  return lines
}

// Blocks are immutable and a streamed update replaces only the blocks it touched, so each block's
// lines are split and wrapped once per block object and width, not once per frame.
interface Wrapped {
  readonly width: number
  readonly lines: ReadonlyArray<TranscriptLine>
}
const cache = { folded: new WeakMap<TranscriptBlock, Wrapped>(), expanded: new WeakMap<TranscriptBlock, Wrapped>() }

const cachedLinesOf = (block: TranscriptBlock, expanded: boolean, width: number): ReadonlyArray<TranscriptLine> => {
  const map = expanded ? cache.expanded : cache.folded
  const known = map.get(block)
  if (known !== undefined && known.width === width) return known.lines
  const lines = linesOf(block, expanded, width)
  map.set(block, { width, lines })
  return lines
}

/**
 * The screen lines the transcript shows, wrapped to `width` columns: folded blocks keep their first
 * line plus a count of what is hidden; at most `limit` screen lines, the newest kept.
 */
export const transcriptLines = (blocks: ReadonlyArray<TranscriptBlock>, expanded: boolean, limit: number, width: number): ReadonlyArray<TranscriptLine> => {
  // Newest first, only as far back as the limit reaches.
  const parts: Array<ReadonlyArray<TranscriptLine>> = []
  let count = 0
  for (let i = blocks.length - 1; i >= 0 && count < limit; i--) {
    const block = blocks[i]
    if (block === undefined) continue
    const lines = cachedLinesOf(block, expanded, Math.max(1, width))
    parts.push(lines)
    count += lines.length
  }
  const lines = parts.reverse().flat()
  return lines.length > limit ? lines.slice(lines.length - limit) : lines
}

/** The window of `height` lines ending `scrollBack` lines above the newest. */
export const visibleWindow = <A>(lines: ReadonlyArray<A>, height: number, scrollBack: number): ReadonlyArray<A> => {
  const maxBack = Math.max(0, lines.length - height)
  const back = Math.min(Math.max(0, scrollBack), maxBack)
  return lines.slice(Math.max(0, lines.length - height - back), lines.length - back)
}
