import { memo } from "react"
import { Box } from "ink"
import { Text } from "./Text.js"
import type { Theme } from "../theme.js"
import type { SessionItem, Stage } from "../../programs/view/viewModel.js"

const stages: ReadonlyArray<Stage> = ["Planning", "Implementing", "Review", "Other"]

const mark = (session: SessionItem): string =>
  session.active ? "●" : session.state === "WaitingForUser" ? "!" : session.state === "Done" ? "✓" : session.state === "Crashed" || session.state === "Killed" ? "✕" : "○"

export interface SessionListProps {
  readonly sessions: ReadonlyArray<SessionItem>
  readonly selectedId: string | null
  readonly focusedId: string | null
  readonly theme: Theme
}

/** Sessions grouped by stage: ● working, ○ idle, ! waiting for you, ✓ done, ✕ ended badly. */
const SessionListView = ({ sessions, selectedId, focusedId, theme }: SessionListProps) => (
  <Box flexDirection="column">
    <Text bold color={theme.text.accent}>
      Sessions
    </Text>
    {sessions.length === 0 ? <Text color={theme.text.secondary}>none yet: press s</Text> : null}
    {stages.map((stage) => {
      const inStage = sessions.filter((s) => s.stage === stage)
      if (inStage.length === 0) return null
      return (
        <Box key={stage} flexDirection="column">
          <Text color={theme.text.secondary}>{stage}</Text>
          {inStage.map((s) => (
            <Text key={s.sessionId} wrap="truncate" inverse={s.sessionId === selectedId} color={s.active ? theme.status.active : theme.text.primary}>
              {s.sessionId === focusedId ? "▸" : " "}
              {mark(s)} {s.label} {s.title}
            </Text>
          ))}
        </Box>
      )
    })}
  </Box>
)

/** Re-renders only when its props change (most frames change the focused transcript alone). */
export const SessionList = memo(SessionListView)
