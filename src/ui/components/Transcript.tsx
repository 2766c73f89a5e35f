import { memo, useMemo } from "react"
import { Box } from "ink"
import { Text } from "./Text.js"
import type { Theme } from "../theme.js"
import { transcriptLines, visibleWindow } from "../transcriptLines.js"
import type { BlockKind, TranscriptBlock } from "../../programs/view/viewModel.js"

export interface TranscriptProps {
  readonly blocks: ReadonlyArray<TranscriptBlock>
  readonly expanded: boolean
  readonly scrollBack: number
  readonly height: number
  readonly limit: number
  /** The pane's width in columns: lines wrap to it here, once per block and width, so Ink lays out short lines. */
  readonly width: number
  readonly theme: Theme
}

const colour = (theme: Theme, kind: BlockKind): string => {
  switch (kind) {
    case "user":
      return theme.transcript.user
    case "reasoning":
      return theme.transcript.reasoning
    case "command":
      return theme.transcript.command
    case "fileChange":
      return theme.transcript.file
    case "skipped":
      return theme.status.warning
    case "system":
    case "plan":
      return theme.text.secondary
    case "message":
      return theme.text.primary
  }
}

/** The focused session's transcript: a window of at most `height` lines, `scrollBack` above the newest. */
const TranscriptView = ({ blocks, expanded, scrollBack, height, limit, width, theme }: TranscriptProps) => {
  const lines = useMemo(() => transcriptLines(blocks, expanded, limit, width), [blocks, expanded, limit, width])
  const shown = visibleWindow(lines, height, scrollBack)
  const hiddenBelow = Math.min(Math.max(0, scrollBack), Math.max(0, lines.length - height))
  return (
    <Box flexDirection="column" flexGrow={1}>
      {lines.length === 0 ? <Text color={theme.text.secondary}>No output yet.</Text> : null}
      {shown.map((line) => (
        <Text key={line.key} wrap="truncate" color={colour(theme, line.kind)}>
          {line.text === "" ? " " : line.text}
        </Text>
      ))}
      {hiddenBelow > 0 ? <Text color={theme.text.accent}>↓ {hiddenBelow} newer lines (J/PgDn)</Text> : null}
    </Box>
  )
}

/** Re-renders only when its props change (most frames change the focused transcript alone). */
export const Transcript = memo(TranscriptView)
