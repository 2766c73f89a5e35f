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

const linesOf = (block: TranscriptBlock, expanded: boolean): ReadonlyArray<TranscriptLine> => {
  const all = block.text.split("\n")
  const folded = !expanded && foldable.has(block.kind) && all.length > 1
  const shown = folded ? [`${all[0] ?? ""}  [+${all.length - 1} lines, z]`] : all
  return shown.map((text, i) => ({ key: `${block.id}:${i}`, kind: block.kind, text: i === 0 ? prefix[block.kind] + text : `  ${text}` }))
}

// Blocks are immutable and a streamed update replaces only the blocks it touched, so each block's
// lines are split once per block object, not once per frame.
const cache = { folded: new WeakMap<TranscriptBlock, ReadonlyArray<TranscriptLine>>(), expanded: new WeakMap<TranscriptBlock, ReadonlyArray<TranscriptLine>>() }

const cachedLinesOf = (block: TranscriptBlock, expanded: boolean): ReadonlyArray<TranscriptLine> => {
  const map = expanded ? cache.expanded : cache.folded
  const known = map.get(block)
  if (known !== undefined) return known
  const lines = linesOf(block, expanded)
  map.set(block, lines)
  return lines
}

/**
 * The lines the transcript shows: folded blocks keep their first line plus a count of what is
 * hidden; at most `limit` lines, the newest kept.
 */
export const transcriptLines = (blocks: ReadonlyArray<TranscriptBlock>, expanded: boolean, limit: number): ReadonlyArray<TranscriptLine> => {
  // Newest first, only as far back as the limit reaches.
  const parts: Array<ReadonlyArray<TranscriptLine>> = []
  let count = 0
  for (let i = blocks.length - 1; i >= 0 && count < limit; i--) {
    const block = blocks[i]
    if (block === undefined) continue
    const lines = cachedLinesOf(block, expanded)
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
