import { terminalLine } from "../../domain/terminalText.js"

/**
 * Renders rows as aligned columns, two spaces apart, the last column unpadded. Cells hold tracker
 * and agent text: each is made one safe line.
 */
export const renderTable = (headers: ReadonlyArray<string>, rawRows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const rows = rawRows.map((row) => row.map(terminalLine))
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd()
  return [line(headers), ...rows.map(line)].join("\n")
}

/** "12s ago", "5m ago", "3h ago", "2d ago". */
export const ago = (then: number, now: number): string => {
  const seconds = Math.max(0, Math.round((now - then) / 1000))
  if (seconds < 60) return `${seconds}s ago`
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`
  return `${Math.floor(seconds / 86_400)}d ago`
}

/** One safe line (see terminalLine) cut to `max` characters, marking the cut. */
export const clip = (raw: string, max: number): string => {
  const text = terminalLine(raw)
  return text.length <= max ? text : text.slice(0, max - 1) + "…"
}
