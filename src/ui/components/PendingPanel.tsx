import { Box } from "ink"
import { Text } from "./Text.js"
import type { Theme } from "../theme.js"
import type { PendingRequest } from "../../programs/view/viewModel.js"

export interface PendingPanelProps {
  readonly request: PendingRequest
  readonly theme: Theme
}

/** The oldest open question or approval of the focused session, with the keys that answer it. */
export const PendingPanel = ({ request, theme }: PendingPanelProps) => (
  <Box flexDirection="column" borderStyle="round" borderColor={theme.status.warning} paddingX={1}>
    {request._tag === "Approval" ? (
      <>
        <Text bold color={theme.status.warning}>
          Approval needed ({request.kind})
        </Text>
        <Text wrap="truncate">{request.subject}</Text>
        {request.reason !== null ? <Text color={theme.text.secondary}>{request.reason}</Text> : null}
        <Text color={theme.text.accent}>a approve · d decline</Text>
      </>
    ) : (
      <>
        <Text bold color={theme.status.warning}>
          The agent asks
        </Text>
        {request.questions.slice(0, 1).map((question) => (
          <Box key={question.id} flexDirection="column">
            <Text>{question.question}</Text>
            {question.options.map((option, i) => (
              <Text key={option} color={theme.text.accent}>
                {i + 1}. {option}
              </Text>
            ))}
            {question.options.length === 0 ? <Text color={theme.text.secondary}>i: type an answer</Text> : null}
          </Box>
        ))}
      </>
    )}
  </Box>
)
