import { describe, expect, it } from "@effect/vitest"
import { transcriptLines, visibleWindow, wrapLine } from "../../src/ui/transcriptLines.js"
import type { TranscriptBlock } from "../../src/programs/view/viewModel.js"

const texts = (blocks: ReadonlyArray<TranscriptBlock>, expanded: boolean, limit: number) => transcriptLines(blocks, expanded, limit, 80).map((l) => l.text)

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
    expect(transcriptLines(blocks, false, 1000, 80)).toHaveLength(100)
  })

  it("wraps long lines at word boundaries to the width, measuring wide characters and emoji as two columns", () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ")
    const lines = transcriptLines([{ id: "m:1", kind: "message", text: words }], false, 1000, 30).map((l) => l.text)
    expect(lines.length).toBeGreaterThan(10)
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(30)
    // Every word is there, none split across lines.
    expect(lines.join(" ").split(/\s+/).filter((w) => w !== "")).toEqual(words.split(" "))
    expect(lines.slice(1).every((l) => l.startsWith("  "))).toBe(true)
    const wide = wrapLine("日本語日本語 🚀🚀🚀🚀 end", 10)
    expect(wide).toEqual(["日本語日本", "語", "🚀🚀🚀🚀", "end"])
  })

  it("the limit and the scroll window count screen lines, so a long paragraph scrolls line by line", () => {
    const paragraph = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ")
    const lines = transcriptLines([{ id: "m:1", kind: "message", text: paragraph }], false, 5, 12)
    expect(lines).toHaveLength(5)
    expect(lines[4]?.text).toContain("w39")
    const all = transcriptLines([{ id: "m:1", kind: "message", text: paragraph }], false, 1000, 12)
    expect(visibleWindow(all, 3, 1).map((l) => l.text)).toEqual(all.slice(-4, -1).map((l) => l.text))
  })
})
