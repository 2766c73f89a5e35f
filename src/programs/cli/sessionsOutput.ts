import type { SessionFields } from "../../layers/eventStore/sessionsQuery.js"
import { ago, clip, renderTable } from "./table.js"
import { terminalJson } from "../../domain/terminalText.js"

// What `sessions list` prints, without Effect: the command and the quick start path (src/quick.ts)
// print sessions through these.

export const sessionJson = (row: SessionFields) => ({
  id: row.id,
  ticket: row.ticketIdentifier ?? row.ticketId,
  ticketId: row.ticketId,
  workItemId: row.workItemId,
  workflowState: row.workflowState,
  state: row.state,
  harness: row.harness,
  harnessSessionId: row.harnessSessionId,
  pullRequest: row.pullRequestUrl,
  worktree: row.worktreePath,
  createdAt: new Date(row.createdAt).toISOString(),
  lastActivityAt: new Date(row.lastActivityAt).toISOString(),
  events: row.eventCount
})

export const sessionsJsonText = (rows: ReadonlyArray<SessionFields>): string => terminalJson(rows.map(sessionJson))

/** The table, and a hint on the next line when there is no session yet. */
export const sessionsTableText = (rows: ReadonlyArray<SessionFields>, now: number): string => {
  const table = renderTable(
    ["ID", "TICKET", "WORKFLOW", "STATE", "HARNESS", "PR", "LAST ACTIVITY"],
    rows.map((row) => [
      row.id,
      clip(row.ticketIdentifier ?? row.ticketId ?? "-", 24),
      row.workflowState ?? "-",
      row.state,
      row.harness.replace(/^harness\./, ""),
      row.pullRequestUrl ?? "-",
      ago(row.lastActivityAt, now)
    ])
  )
  return rows.length === 0 ? `${table}\n(no sessions yet: \`orchestrator run\` starts one from a ticket)` : table
}
