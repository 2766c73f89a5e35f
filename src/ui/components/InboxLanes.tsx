import { memo } from "react"
import { Box } from "ink"
import { Text } from "./Text.js"
import { listWindow } from "../listWindow.js"
import { inboxRows, urgentLanes } from "../listRows.js"
import type { Theme } from "../theme.js"
import type { InboxEntry } from "../../programs/view/viewModel.js"

export interface InboxLanesProps {
  readonly inbox: ReadonlyArray<InboxEntry>
  readonly theme: Theme
  /** Lines the inbox may take, the gap above it and its title included; the rest scroll. */
  readonly height: number
  /** The item kept in view; null keeps the top (the most urgent) in view. */
  readonly selectedId?: string | null
}

/** The inbox in lanes, most urgent first. */
const InboxLanesView = ({ inbox, theme, height, selectedId = null }: InboxLanesProps) => {
  const rows = inboxRows(inbox)
  const cursor = rows.findIndex((row) => row._tag === "item" && row.item.id === selectedId)
  const window = listWindow(rows, cursor, Math.max(1, height - 2))
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold color={theme.text.accent}>
        Inbox {inbox.length === 0 ? "· empty" : `· ${inbox.length}`}
      </Text>
      {window.above > 0 ? <Text color={theme.text.secondary}>↑ {window.above} more</Text> : null}
      {window.rows.map((row) =>
        row._tag === "group" ? (
          <Text key={`lane:${row.title}`} color={urgentLanes.has(row.title) ? theme.status.warning : theme.text.secondary} wrap="truncate">
            {row.title}
          </Text>
        ) : (
          <Text key={row.item.id} wrap="truncate" inverse={row.item.id === selectedId}>
            {" "}
            {row.item.title}
          </Text>
        )
      )}
      {window.below > 0 ? <Text color={theme.text.secondary}>↓ {window.below} more</Text> : null}
    </Box>
  )
}

/** Re-renders only when its props change (most frames change the focused transcript alone). */
export const InboxLanes = memo(InboxLanesView)
