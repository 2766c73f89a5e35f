import type { BlockKind, TranscriptBlock } from "./viewModel.js"

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

/**
 * The lines the transcript shows: folded blocks keep their first line plus a count of what is
 * hidden; at most `limit` lines, the newest kept.
 */
export const transcriptLines = (blocks: ReadonlyArray<TranscriptBlock>, expanded: boolean, limit: number): ReadonlyArray<TranscriptLine> => {
  const lines: Array<TranscriptLine> = []
  for (const block of blocks) {
    const all = block.text.split("\n")
    const folded = !expanded && foldable.has(block.kind) && all.length > 1
    const shown = folded ? [`${all[0] ?? ""}  [+${all.length - 1} lines, z]`] : all
    shown.forEach((text, i) => lines.push({ key: `${block.id}:${i}`, kind: block.kind, text: i === 0 ? prefix[block.kind] + text : `  ${text}` }))
  }
  return lines.length > limit ? lines.slice(lines.length - limit) : lines
}

/** The window of `height` lines ending `scrollBack` lines above the newest. */
export const visibleWindow = <A>(lines: ReadonlyArray<A>, height: number, scrollBack: number): ReadonlyArray<A> => {
  const maxBack = Math.max(0, lines.length - height)
  const back = Math.min(Math.max(0, scrollBack), maxBack)
  return lines.slice(Math.max(0, lines.length - height - back), lines.length - back)
}
