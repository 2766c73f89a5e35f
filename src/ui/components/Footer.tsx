import { Box } from "ink"
import { Text } from "./Text.js"
import type { Binding } from "../keymap.js"
import { fitHints } from "../footerHints.js"
import type { Theme } from "../theme.js"

export interface FooterProps {
  readonly mode: string
  readonly hints: ReadonlyArray<Binding>
  /** A typed prefix such as `w`: its continuations are shown instead of the hints (which-key). */
  readonly prefix: ReadonlyArray<string>
  readonly continuations: ReadonlyArray<Binding>
  readonly notice: string | null
  /** Columns the footer has: hints that do not fit are left out, least important first. */
  readonly width: number
  readonly theme: Theme
}

export const Footer = ({ mode, hints, prefix, continuations, notice, width, theme }: FooterProps) => (
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
        {fitHints(`[${mode}] `, hints, width)}
      </Text>
    )}
  </Box>
)
