import { Box } from "ink"
import { Text } from "./Text.js"
import { type Binding, describeKeys } from "../keymap.js"
import type { Theme } from "../theme.js"

export interface FooterProps {
  readonly mode: string
  readonly hints: ReadonlyArray<Binding>
  /** A typed prefix such as `w`: its continuations are shown instead of the hints (which-key). */
  readonly prefix: ReadonlyArray<string>
  readonly continuations: ReadonlyArray<Binding>
  readonly notice: string | null
  readonly theme: Theme
}

export const Footer = ({ mode, hints, prefix, continuations, notice, theme }: FooterProps) => (
  <Box flexDirection="column">
    {notice !== null ? (
      <Text wrap="truncate" color={theme.status.warning}>
        {notice}
      </Text>
    ) : null}
    {prefix.length > 0 ? (
      <Text color={theme.text.accent}>
        {prefix.join(" ")} …{" "}
        {continuations.map((b) => `${b.keys.find((k) => k.length > prefix.length)?.slice(prefix.length).join(" ") ?? ""} ${b.description}`).join(" · ")}
      </Text>
    ) : (
      <Text wrap="truncate" color={theme.text.secondary}>
        [{mode}] {hints.map((b) => `${describeKeys(b)} ${b.description}`).join(" · ")}
      </Text>
    )}
  </Box>
)
