import { memo } from "react"
import { Box } from "ink"
import { Text } from "./Text.js"
import { listWindow } from "../listWindow.js"
import { sessionMark, sessionRows } from "../listRows.js"
import type { Theme } from "../theme.js"
import type { RunnerView, SessionItem } from "../../programs/view/viewModel.js"

export interface SessionListProps {
  readonly sessions: ReadonlyArray<SessionItem>
  readonly selectedId: string | null
  readonly focusedId: string | null
  /** Lines the list may take, its title included. */
  readonly height: number
  readonly theme: Theme
  /** On a cluster: its runners (each session then names its runner). */
  readonly runners?: ReadonlyArray<RunnerView>
}

/** The session's runner stopped answering (on a cluster). */
const runnerOffline = (runners: ReadonlyArray<RunnerView>, session: SessionItem): boolean =>
  runners.some((r) => r.name === session.runner && !r.online)

/** `beta offline · alpha 1/2`: the runners' health under the list's title, the offline ones first. */
const runnersLine = (runners: ReadonlyArray<RunnerView>): string =>
  [...runners.filter((r) => !r.online), ...runners.filter((r) => r.online)]
    .map((r) => (r.online ? `${r.name} ${r.live}/${r.maxSessions}` : `${r.name} offline`))
    .join(" · ")

/** Sessions grouped by stage: ● working, ○ idle, ! waiting for you, ✓ done, ✕ ended badly. Scrolls to keep the focused (else selected) one in view. */
const SessionListView = ({ sessions, selectedId, focusedId, height, theme, runners = [] }: SessionListProps) => {
  const rows = sessionRows(sessions)
  const focusedAt = rows.findIndex((row) => row._tag === "item" && row.item.sessionId === focusedId)
  const cursor = focusedAt >= 0 ? focusedAt : rows.findIndex((row) => row._tag === "item" && row.item.sessionId === selectedId)
  const titleLines = runners.length > 0 ? 2 : 1
  const window = listWindow(rows, cursor, Math.max(1, height - titleLines))
  return (
    <Box flexDirection="column">
      <Text bold color={theme.text.accent}>
        Sessions
      </Text>
      {runners.length > 0 ? (
        <Text wrap="truncate" color={runners.every((r) => r.online) ? theme.text.secondary : theme.status.warning}>
          {runnersLine(runners)}
        </Text>
      ) : null}
      {sessions.length === 0 ? <Text color={theme.text.secondary}>none yet: press s</Text> : null}
      {window.above > 0 ? <Text color={theme.text.secondary}>↑ {window.above} more</Text> : null}
      {window.rows.map((row) =>
        row._tag === "group" ? (
          <Text key={`stage:${row.title}`} color={theme.text.secondary} wrap="truncate">
            {row.title}
          </Text>
        ) : (
          <Text
            key={row.item.sessionId}
            wrap="truncate"
            inverse={row.item.sessionId === selectedId}
            color={row.item.active ? theme.status.active : theme.text.primary}
          >
            {row.item.sessionId === focusedId ? "▸" : " "}
            {sessionMark(row.item)} {row.item.label}
            {row.item.runner === undefined || row.item.runner === null ? null : <Text color={theme.text.secondary}> @{row.item.runner}</Text>}
            {runnerOffline(runners, row.item) ? <Text color={theme.status.warning}> runner offline</Text> : null} {row.item.title}
          </Text>
        )
      )}
      {window.below > 0 ? <Text color={theme.text.secondary}>↓ {window.below} more</Text> : null}
    </Box>
  )
}

/** Re-renders only when its props change (most frames change the focused transcript alone). */
export const SessionList = memo(SessionListView)
