import { memo } from "react"
import { Box } from "ink"
import { Text } from "./Text.js"
import type { Theme } from "../theme.js"
import type { InboxEntry, InboxLaneName } from "../../programs/view/viewModel.js"

const lanes: ReadonlyArray<{ readonly lane: InboxLaneName; readonly title: string }> = [
  { lane: "decide", title: "Decide/Unblock" },
  { lane: "approvals", title: "Approvals" },
  { lane: "reviews", title: "PR reviews" },
  { lane: "fyi", title: "FYI" }
]

export interface InboxLanesProps {
  readonly inbox: ReadonlyArray<InboxEntry>
  readonly theme: Theme
  /** Items shown per lane; the rest are counted. */
  readonly perLane: number
}

/** The inbox in lanes, most urgent first. */
const InboxLanesView = ({ inbox, theme, perLane }: InboxLanesProps) => (
  <Box flexDirection="column" marginTop={1}>
    <Text bold color={theme.text.accent}>
      Inbox {inbox.length === 0 ? "· empty" : `· ${inbox.length}`}
    </Text>
    {lanes.map(({ lane, title }) => {
      const items = inbox.filter((item) => item.lane === lane).sort((a, b) => b.urgency - a.urgency)
      if (items.length === 0) return null
      return (
        <Box key={lane} flexDirection="column">
          <Text color={lane === "decide" || lane === "approvals" ? theme.status.warning : theme.text.secondary}>{title}</Text>
          {items.slice(0, perLane).map((item) => (
            <Text key={item.id} wrap="truncate">
              {" "}
              {item.title}
            </Text>
          ))}
          {items.length > perLane ? <Text color={theme.text.secondary}> +{items.length - perLane} more</Text> : null}
        </Box>
      )
    })}
  </Box>
)

/** Re-renders only when its props change (most frames change the focused transcript alone). */
export const InboxLanes = memo(InboxLanesView)
