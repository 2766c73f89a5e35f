import { groupRows, type ListRow } from "./listWindow.js"
import type { InboxEntry, InboxLaneName, SessionItem, Stage } from "../programs/view/viewModel.js"

const stages: ReadonlyArray<{ readonly key: Stage; readonly title: string }> = [
  { key: "Planning", title: "Planning" },
  { key: "Implementing", title: "Implementing" },
  { key: "Review", title: "Review" },
  { key: "Done", title: "Done" },
  { key: "Abandoned", title: "Abandoned" },
  { key: "Other", title: "Other" }
]

const lanes: ReadonlyArray<{ readonly key: InboxLaneName; readonly title: string }> = [
  { key: "decide", title: "Decide/Unblock" },
  { key: "approvals", title: "Approvals" },
  { key: "reviews", title: "PR reviews" },
  { key: "fyi", title: "FYI" }
]

/** Lanes drawn in the warning colour: they wait on the user. */
export const urgentLanes: ReadonlySet<string> = new Set(["Decide/Unblock", "Approvals"])

/** A session's mark in the list: ● working, ○ idle, ! waiting for you, ✓ done, ✕ ended badly. */
export const sessionMark = (session: SessionItem): string =>
  session.active ? "●" : session.state === "WaitingForUser" ? "!" : session.state === "Done" ? "✓" : session.state === "Crashed" || session.state === "Killed" ? "✕" : "○"

/** Sessions under their stage's header, in the order j/k walk them. */
export const sessionRows = (sessions: ReadonlyArray<SessionItem>): ReadonlyArray<ListRow<SessionItem>> => groupRows(sessions, stages, (s) => s.stage)

/** Inbox items under their lane's header, most urgent first in each lane. */
export const inboxRows = (inbox: ReadonlyArray<InboxEntry>): ReadonlyArray<ListRow<InboxEntry>> =>
  groupRows(
    [...inbox].sort((a, b) => b.urgency - a.urgency),
    lanes,
    (item) => item.lane
  )

/** Lines the session list takes when nothing is hidden: its title, then its rows (or the empty note). */
export const sessionListLines = (sessions: ReadonlyArray<SessionItem>, runnerLine = false): number =>
  1 + (runnerLine ? 1 : 0) + (sessions.length === 0 ? 1 : sessionRows(sessions).length)

/** Lines the inbox takes when nothing is hidden: the gap above it, its title, its rows. */
export const inboxLines = (inbox: ReadonlyArray<InboxEntry>): number => 2 + inboxRows(inbox).length
