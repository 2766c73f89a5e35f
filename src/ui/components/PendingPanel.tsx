import { Box } from "ink"
import { Text } from "./Text.js"
import type { Theme } from "../theme.js"
import type { PendingLine, PendingTone } from "../pendingLines.js"

export interface PendingPanelProps {
  /** Already wrapped to the panel's inner width (see pendingLines), at most `height - 2` shown. */
  readonly lines: ReadonlyArray<PendingLine>
  readonly height: number
  readonly theme: Theme
}

const colours: Record<PendingTone, (theme: Theme) => string> = {
  title: (theme) => theme.status.warning,
  body: (theme) => theme.text.primary,
  secondary: (theme) => theme.text.secondary,
  accent: (theme) => theme.text.accent
}

/** The oldest open question or approval of the focused session, with the keys that answer it. */
export const PendingPanel = ({ lines, height, theme }: PendingPanelProps) => {
  const room = Math.max(1, height - 2)
  // When the panel cannot hold everything, the answer keys (the last lines) stay visible.
  const shown = lines.length <= room ? lines : [...lines.slice(0, room - 1), ...lines.slice(-1)]
  return (
    <Box flexDirection="column" flexShrink={0} borderStyle="round" borderColor={theme.status.warning} paddingX={1}>
      {shown.map((line, i) => (
        <Text key={i} bold={line.tone === "title"} wrap="truncate" color={colours[line.tone](theme)}>
          {line.text === "" ? " " : line.text}
        </Text>
      ))}
    </Box>
  )
}
