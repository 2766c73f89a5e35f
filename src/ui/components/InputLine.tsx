import { Text } from "./Text.js"
import type { Theme } from "../theme.js"

export interface InputLineProps {
  readonly inserting: boolean
  readonly text: string
  readonly turnActive: boolean
  readonly theme: Theme
}

/** The line to message the agent; while a turn runs, what is sent steers it. */
export const InputLine = ({ inserting, text, turnActive, theme }: InputLineProps) =>
  inserting ? (
    <Text color={theme.text.primary}>
      {turnActive ? "steer › " : "message › "}
      {text}
      <Text inverse> </Text>
    </Text>
  ) : (
    <Text color={theme.text.secondary}>{turnActive ? "i: steer the running turn" : "i: message the agent"}</Text>
  )
