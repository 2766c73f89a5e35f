import { describe, expect, it } from "vitest"
import { groupRows, type ListRow, listWindow, splitHeight } from "../../src/ui/listWindow.js"

// Three groups of 10: a0..a9, b0..b9, c0..c9 under headers A, B, C (33 rows).
const items = ["a", "b", "c"].flatMap((g) => Array.from({ length: 10 }, (_, i) => `${g}${i}`))
const rows = groupRows(
  items,
  [
    { key: "a", title: "A" },
    { key: "b", title: "B" },
    { key: "c", title: "C" },
    { key: "d", title: "D" }
  ],
  (item) => item.slice(0, 1)
)
const at = (item: string) => rows.findIndex((row) => row._tag === "item" && row.item === item)
const show = (window: { readonly rows: ReadonlyArray<ListRow<string>> }) => window.rows.map((row) => (row._tag === "group" ? `[${row.title}]` : row.item))
/** Lines drawn: the rows plus a count line for each side with something hidden. */
const lines = (window: ReturnType<typeof listWindow<string>>) => window.rows.length + (window.above > 0 ? 1 : 0) + (window.below > 0 ? 1 : 0)

describe("groupRows", () => {
  it("puts each non-empty group's header before its items, in the groups' order", () => {
    expect(rows).toHaveLength(33)
    expect(show({ rows }).slice(0, 3)).toEqual(["[A]", "a0", "a1"])
    expect(show({ rows })[11]).toBe("[B]")
    expect(show({ rows })).not.toContain("[D]")
  })
})

describe("listWindow", () => {
  it("shows everything, with no counts, when it fits", () => {
    expect(listWindow(rows, 5, 33)).toEqual({ rows, above: 0, below: 0 })
  })

  it("with the cursor at the top shows the first rows and counts the rest below", () => {
    const window = listWindow(rows, at("a0"), 10)
    expect(show(window)).toEqual(["[A]", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7"])
    expect(window).toMatchObject({ above: 0, below: 22 })
    expect(lines(window)).toBe(10)
  })

  it("in the middle keeps the cursor near the centre under its group's header, with both counts", () => {
    const window = listWindow(rows, at("b5"), 10)
    expect(show(window)).toEqual(["[B]", "b2", "b3", "b4", "b5", "b6", "b7", "b8"])
    expect(window).toMatchObject({ above: 12, below: 11 })
    expect(lines(window)).toBe(10)
  })

  it("a window spanning two groups shows the next header in place and keeps the first one on top", () => {
    const window = listWindow(rows, at("b0"), 10)
    expect(show(window)).toEqual(["[A]", "a8", "a9", "[B]", "b0", "b1", "b2", "b3"])
    expect(window).toMatchObject({ above: 8, below: 16 })
  })

  it("at the bottom fills the lines up to the last row and counts what is above", () => {
    const window = listWindow(rows, at("c9"), 10)
    expect(show(window)).toEqual(["[C]", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"])
    expect(window).toMatchObject({ above: 22, below: 0 })
    expect(lines(window)).toBe(10)
  })

  it("every cursor stays in view, within the lines given, with no row repeated and the counts adding up", () => {
    for (const height of [4, 5, 7, 12, 32]) {
      for (const item of items) {
        const window = listWindow(rows, at(item), height)
        const shown = window.rows.filter((row) => row._tag === "item").map((row) => (row._tag === "item" ? row.item : ""))
        expect(shown).toContain(item)
        expect(lines(window)).toBeLessThanOrEqual(height)
        expect(new Set(window.rows).size).toBe(window.rows.length)
        expect(window.above + shown.length + window.below).toBe(items.length)
        // The shown items are one unbroken run of the list.
        expect(shown).toEqual(items.slice(window.above, window.above + shown.length))
        // The first row drawn is a header: its group stays named; the last is an item unless the list ends there.
        expect(window.rows[0]?._tag).toBe("group")
        expect(window.rows[window.rows.length - 1]?._tag).toBe("item")
      }
    }
  })

  it("no cursor keeps the top; too few lines still show the cursor's row, then the counts, within the lines", () => {
    expect(show(listWindow(rows, -1, 5))).toEqual(["[A]", "a0", "a1", "a2"])
    expect(listWindow(rows, at("b5"), 3)).toEqual({ rows: [{ _tag: "item", item: "b5" }], above: 15, below: 14 })
    expect(show(listWindow(rows, at("b5"), 2))).toEqual(["b5"])
    expect(show(listWindow(rows, at("a0"), 2))).toEqual(["a0"])
    expect(listWindow(rows, at("a0"), 2)).toMatchObject({ above: 0, below: 29 })
    expect(show(listWindow(rows, at("b5"), 1))).toEqual(["b5"])
    for (const height of [1, 2, 3]) for (const item of items) expect(lines(listWindow(rows, at(item), height))).toBeLessThanOrEqual(height)
  })
})

describe("splitHeight", () => {
  it("gives each what it needs when both fit, else the second keeps up to its share and the first the rest", () => {
    expect(splitHeight(20, 5, 6, 1 / 3, 3)).toEqual([14, 6])
    expect(splitHeight(21, 200, 30, 1 / 3, 3)).toEqual([14, 7])
    expect(splitHeight(21, 200, 2, 1 / 3, 3)).toEqual([19, 2])
    expect(splitHeight(21, 10, 30, 1 / 3, 3)).toEqual([10, 11])
  })
})
