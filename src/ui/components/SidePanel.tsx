import { memo } from "react"
import { Box, Text } from "ink"
import type { Theme } from "../theme.js"
import type { SidePanel as Side } from "../../programs/view/viewModel.js"

export interface SidePanelProps {
  readonly side: Side
  readonly theme: Theme
  /** Changed files listed before the rest are counted. */
  readonly maxFiles: number
}

/** Columns the panel takes, borders included. */
export const SIDE_PANEL_WIDTH = 36

/** PR, CI, changed files and the supervisor's summary of the focused session. */
const SidePanelView = ({ side, theme, maxFiles }: SidePanelProps) => (
  <Box flexDirection="column" flexShrink={0} width={SIDE_PANEL_WIDTH} paddingLeft={1} borderStyle="single" borderColor={theme.border.default}>
    <Text bold color={theme.text.accent}>
      PR
    </Text>
    <Text wrap="truncate">{side.pullRequest ?? "none yet"}</Text>
    <Text bold color={theme.text.accent}>
      CI
    </Text>
    <Text color={side.ci?.startsWith("fail") === true ? theme.status.error : side.ci === "pass" ? theme.status.success : theme.text.primary}>{side.ci ?? "-"}</Text>
    <Text bold color={theme.text.accent}>
      Changed files
    </Text>
    {side.changedFiles.length === 0 ? <Text color={theme.text.secondary}>none</Text> : null}
    {side.changedFiles.slice(0, maxFiles).map((file) => (
      <Text key={file} wrap="truncate">
        {file}
      </Text>
    ))}
    {side.changedFiles.length > maxFiles ? <Text color={theme.text.secondary}>+{side.changedFiles.length - maxFiles} more</Text> : null}
    <Text bold color={theme.text.accent}>
      Summary
    </Text>
    <Text wrap="wrap">{side.summary ?? "-"}</Text>
  </Box>
)

/** Re-renders only when its props change (most frames change the focused transcript alone). */
export const SidePanel = memo(SidePanelView)
