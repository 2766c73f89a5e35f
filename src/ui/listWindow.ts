/** A grouped list as drawn: each group's header, then its items. */
export type ListRow<T> = { readonly _tag: "group"; readonly title: string } | { readonly _tag: "item"; readonly item: T }

/** What fits: the rows to draw (a kept header first when its group is scrolled into), and the items hidden above and below. */
export interface ListWindow<T> {
  readonly rows: ReadonlyArray<ListRow<T>>
  readonly above: number
  readonly below: number
}

/** Groups in the given order, empty ones left out, each item in the first group that takes it. */
export const groupRows = <T, G extends string>(
  items: ReadonlyArray<T>,
  groups: ReadonlyArray<{ readonly key: G; readonly title: string }>,
  groupOf: (item: T) => G
): ReadonlyArray<ListRow<T>> =>
  groups.flatMap(({ key, title }) => {
    const inGroup = items.filter((item) => groupOf(item) === key)
    return inGroup.length === 0 ? [] : [{ _tag: "group" as const, title }, ...inGroup.map((item) => ({ _tag: "item" as const, item }))]
  })

const itemsIn = <T>(rows: ReadonlyArray<ListRow<T>>, from: number, to: number): number =>
  rows.slice(from, to).filter((row) => row._tag === "item").length

/** Index of the header of the group row `at` belongs to. */
const headerOf = <T>(rows: ReadonlyArray<ListRow<T>>, at: number): number => {
  for (let i = at; i >= 0; i--) if (rows[i]?._tag === "group") return i
  return -1
}

interface Layout {
  readonly start: number
  readonly end: number
  readonly header: number
}

/** The window starting at `start` in `height` lines: an ↑ line, a kept header, rows, a ↓ line, each only when needed. */
const layoutFrom = <T>(rows: ReadonlyArray<ListRow<T>>, start: number, height: number): Layout => {
  const header = rows[start]?._tag === "item" ? headerOf(rows, start) : -1
  const room = height - (itemsIn(rows, 0, start) > 0 ? 1 : 0) - (header >= 0 && header < start ? 1 : 0)
  const end = Math.min(rows.length, start + room)
  if (end === rows.length) return { start, end, header }
  // Room for the ↓ line; a header whose items all fall below it is left for the next window.
  const last = Math.max(start, end - 1)
  return { start, end: last - 1 > start && rows[last - 1]?._tag === "group" ? last - 1 : last, header }
}

/**
 * The rows of a grouped list that fit in `height` lines with the row at `cursor` among them, placed
 * near the middle when the list allows it. Pure: the screen keeps no scroll offset, so the same
 * cursor always shows the same window.
 */
export const listWindow = <T>(rows: ReadonlyArray<ListRow<T>>, cursor: number, height: number): ListWindow<T> => {
  if (rows.length <= height) return { rows, above: 0, below: 0 }
  const at = Math.min(Math.max(cursor, 0), rows.length - 1)
  let latest = rows.length - 1
  while (latest > 0 && layoutFrom(rows, latest - 1, height).end === rows.length) latest--
  // Centred within the lines left by the two count lines and a kept header.
  let start = Math.min(Math.max(0, at - Math.floor((height - 3) / 2)), latest)
  let layout = layoutFrom(rows, start, height)
  while (at >= layout.end && start < at) layout = layoutFrom(rows, ++start, height)
  if (at < layout.start || at >= layout.end) {
    // Too few lines for a window: the cursor's row, then the counts, then its header, as far as they fit.
    const above = itemsIn(rows, 0, at)
    const below = itemsIn(rows, at + 1, rows.length)
    const countLines = (above > 0 ? 1 : 0) + (below > 0 ? 1 : 0)
    if (1 + countLines > height) return { rows: rows.slice(at, at + 1), above: 0, below: 0 }
    const header = headerOf(rows, at)
    const shown = 2 + countLines <= height && header >= 0 && header < at ? [header, at] : [at]
    return { rows: shown.flatMap((i) => rows.slice(i, i + 1)), above, below }
  }
  const kept = layout.header >= 0 && layout.header < layout.start ? rows.slice(layout.header, layout.header + 1) : []
  return {
    rows: [...kept, ...rows.slice(layout.start, layout.end)],
    above: itemsIn(rows, 0, layout.start),
    below: itemsIn(rows, layout.end, rows.length)
  }
}

/**
 * Two lists stacked in `height` lines: each gets what it needs when both fit; otherwise the second
 * keeps what it needs up to `secondShare` of the lines (at least `secondMin`) and the first takes the rest.
 */
export const splitHeight = (height: number, firstNeeds: number, secondNeeds: number, secondShare: number, secondMin: number): readonly [number, number] => {
  if (firstNeeds + secondNeeds <= height) return [height - secondNeeds, secondNeeds]
  const second = Math.min(secondNeeds, Math.max(height - firstNeeds, secondMin, Math.floor(height * secondShare)))
  return [height - second, second]
}
