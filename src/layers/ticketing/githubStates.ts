import type { TicketStateType } from "../../domain/ticket.js"
import type { WorkflowState } from "../../domain/workflow.js"
import type { GithubIssue } from "./githubWire.js"

/**
 * GitHub issues have two states, open and closed; the states between are labels. The names come
 * from `workflow_state_map`: Done's name is a closed issue, Abandoned's a closed "not planned"
 * one, New's (default "Todo") an open issue without a state label, and every other name a label.
 */
export interface GithubStateNames {
  readonly open: string
  readonly done: string
  readonly canceled: string
  /** The labels that stand for a state, in workflow order (a later one wins when several are set). */
  readonly labels: ReadonlyArray<string>
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

export const githubStateNames = (map: { readonly [K in WorkflowState]?: string | undefined }): GithubStateNames => {
  const open = map.New ?? "Todo"
  const done = map.Done ?? "Done"
  const canceled = map.Abandoned ?? "Canceled"
  const labels: Array<string> = []
  for (const name of Object.values(map)) {
    if (name === undefined || [open, done, canceled, ...labels].some((taken) => same(taken, name))) continue
    labels.push(name)
  }
  return { open, done, canceled, labels }
}

export const githubState = (names: GithubStateNames, issue: GithubIssue): { readonly name: string; readonly type: TicketStateType } => {
  if (issue.state === "closed") {
    return issue.state_reason === "not_planned" ? { name: names.canceled, type: "canceled" } : { name: names.done, type: "completed" }
  }
  const label = names.labels.findLast((name) => issue.labels.some((l) => same(l.name, name)))
  return label === undefined ? { name: names.open, type: "unstarted" } : { name: label, type: "started" }
}

/** What moving an issue to the state named `name` takes. */
export type GithubMove =
  | { readonly _tag: "close"; readonly reason: "completed" | "not planned" }
  | { readonly _tag: "open"; readonly label: string | null }

export const githubMove = (names: GithubStateNames, name: string): GithubMove =>
  same(name, names.done)
    ? { _tag: "close", reason: "completed" }
    : same(name, names.canceled)
      ? { _tag: "close", reason: "not planned" }
      : { _tag: "open", label: same(name, names.open) ? null : (names.labels.find((l) => same(l, name)) ?? name) }

/** The state labels an issue carries besides `keep`. */
export const staleStateLabels = (names: GithubStateNames, issue: GithubIssue, keep: string | null): ReadonlyArray<string> =>
  issue.labels.map((l) => l.name).filter((l) => names.labels.some((n) => same(n, l)) && (keep === null || !same(l, keep)))

export const sameName = same
