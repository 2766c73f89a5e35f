import { Box } from "ink"
import { Text } from "./Text.js"
import type { Theme } from "../theme.js"

export interface ConfirmDialogProps {
  readonly question: string
  readonly theme: Theme
}

export const ConfirmDialog = ({ question, theme }: ConfirmDialogProps) => (
  <Box flexDirection="column" borderStyle="round" borderColor={theme.status.warning} paddingX={1}>
    <Text bold>{question}</Text>
    <Text color={theme.text.accent}>y yes · n no</Text>
  </Box>
)
