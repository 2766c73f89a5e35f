import { describe, expect, it } from "@effect/vitest"
import { fitHints } from "../../src/ui/footerHints.js"
import { type Binding, bindingsOf, keymap, keymapConflicts, matchKeys } from "../../src/ui/keymap.js"

const binding = (keys: ReadonlyArray<string>, command: Binding["command"] = "quit"): Binding => ({
  context: "normal",
  command,
  keys: keys.map((k) => k.split(" ")),
  description: command
})

describe("keymap", () => {
  it("the shipped table has no duplicate or prefix conflict", () => {
    expect(keymapConflicts(keymap)).toEqual([])
  })

  it("rejects the same key twice in one context, and a key that is the prefix of a sequence", () => {
    expect(keymapConflicts([binding(["q"]), binding(["q"], "help")])).toEqual([expect.stringContaining("duplicate key in normal: \"q\"")])
    expect(keymapConflicts([binding(["w"], "advance"), binding(["w n"], "merge")])).toEqual([expect.stringContaining("prefix conflict")])
    // The same key in two contexts is fine.
    expect(keymapConflicts([binding(["q"]), { ...binding(["q"]), context: "diff" }])).toEqual([])
  })

  it("a prefix waits for its continuation, which completes the command", () => {
    const pending = matchKeys("normal", [], "w")
    expect(pending._tag).toBe("Pending")
    if (pending._tag !== "Pending") return
    expect(pending.continuations.map((b) => b.command).sort()).toEqual(["advance", "merge"])
    expect(matchKeys("normal", ["w"], "n")).toMatchObject({ _tag: "Command", command: "advance" })
    expect(matchKeys("normal", ["w"], "z")._tag).toBe("None")
    expect(matchKeys("normal", [], "j")).toMatchObject({ _tag: "Command", command: "moveDown" })
  })
})

describe("footer hints", () => {
  it("fit the width: the least important go first, ? help always stays", () => {
    const normal = bindingsOf("normal").filter((b) => ["moveDown", "openPicker", "insertMode", "advance", "openDiff", "openChat", "help", "quit"].includes(b.command))
    const wide = fitHints("[normal] ", normal, 400)
    expect(wide).toContain("D worktree diff")
    for (const width of [140, 80, 40, 20]) {
      const line = fitHints("[normal] ", normal, width)
      expect(line).toContain("? help")
      if (width >= 40) expect(line.length).toBeLessThanOrEqual(width)
    }
    const narrow = fitHints("[normal] ", normal, 80)
    expect(narrow).toContain("q quit")
    expect(narrow).not.toContain("worktree diff")
  })
})
