import { Box } from "ink"
import { Text } from "./Text.js"
import type { Theme } from "../theme.js"
import type { DiffView } from "../../programs/view/viewModel.js"

export interface DiffOverlayProps {
  readonly diff: DiffView
  readonly scroll: number
  readonly height: number
  readonly theme: Theme
}

const lineColour = (theme: Theme, line: string): string =>
  line.startsWith("+") && !line.startsWith("+++") ? theme.status.success : line.startsWith("-") && !line.startsWith("---") ? theme.status.error : line.startsWith("@@") ? theme.text.accent : theme.text.primary

/** The worktree's diff, `height` lines from `scroll`. */
export const DiffOverlay = ({ diff, scroll, height, theme }: DiffOverlayProps) => {
  const lines = diff.text.split("\n")
  const top = Math.min(Math.max(0, scroll), Math.max(0, lines.length - height))
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.border.focused} paddingX={1}>
      <Text bold>Diff · {diff.label}</Text>
      {diff.loading ? <Text color={theme.text.secondary}>loading…</Text> : null}
      {!diff.loading && diff.text.trim() === "" ? <Text color={theme.text.secondary}>No changes in the worktree yet.</Text> : null}
      {lines.slice(top, top + height).map((line, i) => (
        <Text key={top + i} wrap="truncate" color={lineColour(theme, line)}>
          {line === "" ? " " : line}
        </Text>
      ))}
      <Text color={theme.text.secondary}>
        lines {lines.length === 0 ? 0 : top + 1}-{Math.min(lines.length, top + height)} of {lines.length} · j/k scroll · Esc close
      </Text>
    </Box>
  )
}
