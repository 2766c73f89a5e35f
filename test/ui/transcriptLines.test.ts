import { describe, expect, it } from "@effect/vitest"
import { transcriptLines } from "../../src/ui/transcriptLines.js"
import type { TranscriptBlock } from "../../src/programs/view/viewModel.js"

const texts = (blocks: ReadonlyArray<TranscriptBlock>, expanded: boolean, limit: number) => transcriptLines(blocks, expanded, limit).map((l) => l.text)

describe("transcript lines", () => {
  it("a block streamed further shows its new text; folding follows the z toggle", () => {
    const command: TranscriptBlock = { id: "c:1", kind: "command", text: "npm test" }
    const message: TranscriptBlock = { id: "m:1", kind: "message", text: "Reading" }
    expect(texts([command, message], false, 100)).toEqual(["$ npm test", "Reading"])
    // The fold replaces only what changed; the same ids carry longer text.
    const grown = [{ ...command, text: "npm test\n1 passing\n2 failing" }, { ...message, text: "Reading the code." }]
    expect(texts(grown, false, 100)).toEqual(["$ npm test  [+2 lines, z]", "Reading the code."])
    expect(texts(grown, true, 100)).toEqual(["$ npm test", "  1 passing", "  2 failing", "Reading the code."])
    expect(texts(grown, false, 100)).toEqual(["$ npm test  [+2 lines, z]", "Reading the code."])
  })

  it("keeps the newest lines up to the limit, cutting into the oldest block it reaches", () => {
    const blocks: ReadonlyArray<TranscriptBlock> = Array.from({ length: 50 }, (_, i) => ({ id: `m:${i}`, kind: "message", text: `a${i}\nb${i}` }))
    expect(texts(blocks, false, 3)).toEqual(["  b48", "a49", "  b49"])
    expect(transcriptLines(blocks, false, 1000)).toHaveLength(100)
  })
})
