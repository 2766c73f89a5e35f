import { memo } from "react"
import { Box } from "ink"
import { Text } from "./Text.js"
import type { Theme } from "../theme.js"
import type { PullRequestView, ReviewState, SidePanel as Side } from "../../programs/view/viewModel.js"

export interface SidePanelProps {
  readonly side: Side
  readonly theme: Theme
  /** Changed files listed before the rest are counted. */
  readonly maxFiles: number
}

/** Columns the panel takes, borders included. */
export const SIDE_PANEL_WIDTH = 36

const reviewWords: Record<ReviewState, string> = { approved: "approved", changesRequested: "changes requested", reviewRequired: "review required" }

type Observed = Extract<PullRequestView, { _tag: "Observed" }>

/** `#7 open · checks pass · approved`; a merged or closed one says only that. */
const statusLine = (pr: Observed): string => {
  const parts = [`#${pr.number} ${pr.state}`]
  if (pr.state === "open" || pr.state === "draft") {
    if (pr.checks !== "none") parts.push(`checks ${pr.checks}`)
    if (pr.review !== null) parts.push(reviewWords[pr.review])
  }
  return parts.join(" · ")
}

const statusColour = (pr: Observed, theme: Theme): string => {
  if (pr.state === "merged") return theme.status.success
  if (pr.state === "closed") return theme.text.secondary
  return pr.checks === "fail" || pr.review === "changesRequested" ? theme.status.warning : theme.text.primary
}

const PullRequest = ({ pr, theme }: { readonly pr: PullRequestView | null; readonly theme: Theme }) => {
  if (pr === null) return <Text color={theme.text.secondary}>none yet</Text>
  // Cut in the middle: a long URL keeps the pull request's number at its end.
  const link = (
    <Text wrap="truncate-middle" color={pr._tag === "Link" ? theme.text.primary : theme.text.secondary}>
      {pr.url}
    </Text>
  )
  if (pr._tag === "Link") return link
  const failing = (pr.state === "open" || pr.state === "draft") && pr.failingChecks.length > 0
  return (
    <>
      <Text wrap="wrap" color={statusColour(pr, theme)}>
        {statusLine(pr)}
      </Text>
      {failing ? (
        <Text wrap="truncate" color={theme.status.error}>
          failing: {pr.failingChecks.join(", ")}
        </Text>
      ) : null}
      {link}
    </>
  )
}

/** PR (state, checks, review), changed files and the supervisor's summary of the focused session. */
const SidePanelView = ({ side, theme, maxFiles }: SidePanelProps) => (
  <Box flexDirection="column" flexShrink={0} width={SIDE_PANEL_WIDTH} paddingLeft={1} borderStyle="single" borderColor={theme.border.default}>
    <Text bold color={theme.text.accent}>
      PR
    </Text>
    <PullRequest pr={side.pullRequest} theme={theme} />
    <Text bold color={theme.text.accent}>
      Changed files
    </Text>
    {side.changedFiles.length === 0 ? <Text color={theme.text.secondary}>none</Text> : null}
    {side.changedFiles.slice(0, maxFiles).map((file) => (
      <Text key={file} wrap="truncate">
        {file}
      </Text>
    ))}
    {side.changedFiles.length > maxFiles ? <Text color={theme.text.secondary}>+{side.changedFiles.length - maxFiles} more</Text> : null}
    <Text bold color={theme.text.accent}>
      Summary
    </Text>
    <Text wrap="wrap">{side.summary ?? "-"}</Text>
  </Box>
)

/** Re-renders only when its props change (most frames change the focused transcript alone). */
export const SidePanel = memo(SidePanelView)
