/** One measured figure; benches return lists of these and bench/run.ts prints them. */
export interface Figure {
  readonly label: string
  readonly value: number
  readonly unit: string
}

export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

export const formatFigure = (figure: Figure): string => {
  const value = Number.isInteger(figure.value) ? figure.value.toLocaleString("en-US") : figure.value.toFixed(2)
  return `  ${figure.label.padEnd(58)} ${value.padStart(12)} ${figure.unit}`
}
