import { Box } from "ink"
import { Text } from "./Text.js"
import type { Theme } from "../theme.js"
import type { ChatView } from "../../programs/view/viewModel.js"

export interface SupervisorChatProps {
  readonly chat: ChatView
  readonly input: string
  readonly height: number
  readonly theme: Theme
}

/** The supervisor's streamed answer to the last question; the newest lines stay in view. */
export const SupervisorChat = ({ chat, input, height, theme }: SupervisorChatProps) => {
  const lines = chat.answer.split("\n")
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.border.focused} paddingX={1}>
      <Text bold>Supervisor</Text>
      {chat.unavailable !== null ? <Text color={theme.status.warning}>{chat.unavailable}</Text> : null}
      {chat.question !== null ? <Text color={theme.transcript.user}>you › {chat.question}</Text> : null}
      {lines.slice(Math.max(0, lines.length - height)).map((line, i) => (
        <Text key={i}>{line === "" ? " " : line}</Text>
      ))}
      {chat.status === "streaming" ? <Text color={theme.text.secondary}>…</Text> : null}
      {chat.status === "failed" ? <Text color={theme.status.error}>the answer failed (see the notice below)</Text> : null}
      <Text>
        ask › {input}
        <Text inverse> </Text>
      </Text>
      <Text color={theme.text.secondary}>Enter ask · Esc close</Text>
    </Box>
  )
}
