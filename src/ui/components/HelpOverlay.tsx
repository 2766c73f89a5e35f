import { Box } from "ink"
import { Text } from "./Text.js"
import { type Binding, describeKeys } from "../keymap.js"
import type { Theme } from "../theme.js"

export interface HelpOverlayProps {
  readonly bindings: ReadonlyArray<Binding>
  readonly theme: Theme
}

/** Every key of the normal mode, straight from the keymap table. */
export const HelpOverlay = ({ bindings, theme }: HelpOverlayProps) => (
  <Box flexDirection="column" borderStyle="round" borderColor={theme.border.focused} paddingX={1}>
    <Text bold>Keys</Text>
    {bindings.map((binding) => (
      <Text key={binding.command}>
        <Text color={theme.text.accent}>{describeKeys(binding).padEnd(14)}</Text> {binding.description}
      </Text>
    ))}
    <Text color={theme.text.secondary}>Esc close</Text>
  </Box>
)
