/**
 * What the screen shows: plain data, built by the Effect side and rendered by a view (the Ink
 * screen today). Nothing here imports Effect, Ink or React, so a web page can use it as it is.
 */

export type Stage = "Planning" | "Implementing" | "Review" | "Done" | "Abandoned" | "Other"

export interface SessionItem {
  readonly sessionId: string
  readonly workItemId: string | null
  /** The ticket key (`ENG-42`) or the session id when there is no ticket. */
  readonly label: string
  readonly title: string
  readonly stage: Stage
  readonly state: string
  readonly workflowState: string | null
  /** The agent is working right now (Running); otherwise idle, waiting or ended. */
  readonly active: boolean
  /** On a cluster: the runner whose machine runs it (null on a single machine). */
  readonly runner?: string | null
}

/** A runner of the cluster, as the screens show it: online (its row fresh) or offline. */
export interface RunnerView {
  readonly name: string
  readonly host: string
  readonly online: boolean
  /** Its live sessions, and how many it runs at once. */
  readonly live: number
  readonly maxSessions: number
}

export type InboxLaneName = "decide" | "approvals" | "reviews" | "fyi"

export interface InboxEntry {
  readonly id: string
  readonly lane: InboxLaneName
  readonly urgency: number
  readonly title: string
  readonly sessionId: string | null
}

export type BlockKind = "message" | "user" | "reasoning" | "command" | "fileChange" | "plan" | "system" | "skipped"

/** One transcript entry; reasoning, commands and file changes fold to their first line. */
export interface TranscriptBlock {
  readonly id: string
  readonly kind: BlockKind
  readonly text: string
}

export interface InputQuestionView {
  readonly id: string
  readonly question: string
  readonly options: ReadonlyArray<string>
}

export type PendingRequest =
  | { readonly _tag: "Input"; readonly requestId: string; readonly questions: ReadonlyArray<InputQuestionView> }
  | {
      readonly _tag: "Approval"
      readonly requestId: string
      readonly kind: string
      readonly subject: string
      readonly reason: string | null
    }

export type PullRequestState = "draft" | "open" | "merged" | "closed"

export type ReviewState = "approved" | "changesRequested" | "reviewRequired"

/**
 * The work item's pull request: as its newest observation saw it, or only its link while nothing
 * has observed it yet (it just opened).
 */
export type PullRequestView =
  | { readonly _tag: "Link"; readonly url: string }
  | {
      readonly _tag: "Observed"
      readonly number: number
      readonly url: string
      readonly state: PullRequestState
      readonly checks: "pass" | "fail" | "pending" | "none"
      readonly failingChecks: ReadonlyArray<string>
      /** null: no review decision (none required, or none given yet). */
      readonly review: ReviewState | null
    }

export interface SidePanel {
  readonly pullRequest: PullRequestView | null
  readonly changedFiles: ReadonlyArray<string>
  readonly summary: string | null
}

export const emptySidePanel: SidePanel = { pullRequest: null, changedFiles: [], summary: null }

export interface FocusedSession {
  readonly sessionId: string
  readonly workItemId: string | null
  readonly label: string
  readonly state: string
  readonly workflowState: string | null
  /** A turn is running: a message steers it instead of starting a new one. */
  readonly turnActive: boolean
  readonly blocks: ReadonlyArray<TranscriptBlock>
  readonly pending: ReadonlyArray<PendingRequest>
  readonly side: SidePanel
}

export interface TicketEntry {
  readonly id: string
  readonly identifier: string
  readonly title: string
  readonly project: string
  readonly stateName: string
  /** A work item exists for it already. */
  readonly started: boolean
}

export interface ChatView {
  readonly question: string | null
  readonly answer: string
  readonly status: "idle" | "streaming" | "finished" | "failed"
  /** Why the chat cannot work (no key), shown instead of an input. */
  readonly unavailable: string | null
}

export interface DiffView {
  readonly label: string
  readonly text: string
  readonly loading: boolean
}

/**
 * A ticket could not start because no repository is known for it: the screen asks for one. The
 * choice is passed back to startTicket and remembered for the ticket's project.
 */
export interface RepositoryChoice {
  readonly ticketId: string
  /** The ticket's key (ENG-42). */
  readonly ticketKey: string
  readonly project: string | null
  /** Git repositories found under `workspace`. */
  readonly candidates: ReadonlyArray<string>
  /** Directories that complete what was typed in the path field (read after each edit). */
  readonly completions: { readonly typed: string; readonly paths: ReadonlyArray<string> }
}

export interface ViewModel {
  readonly sessions: ReadonlyArray<SessionItem>
  readonly inbox: ReadonlyArray<InboxEntry>
  readonly focused: FocusedSession | null
  readonly tickets: ReadonlyArray<TicketEntry>
  /** `ticket_picker_priority_states`: states listed first, in this order. */
  readonly pickerStates: ReadonlyArray<string>
  readonly chat: ChatView
  readonly diff: DiffView | null
  /** The last problem or confirmation, one sentence. */
  readonly notice: string | null
  /** Set when the harness cannot run: what to install. */
  readonly harnessProblem: string | null
  /** How many lines of transcript the screen keeps. */
  readonly transcriptLineLimit: number
  /** Set when a ticket waits for the person to choose its repository (a new object each time it asks). */
  readonly repositoryChoice?: RepositoryChoice | null
  /** On a cluster: its runners, by name (empty on a single machine). */
  readonly runners?: ReadonlyArray<RunnerView>
}

export const emptyViewModel = (transcriptLineLimit: number, pickerStates: ReadonlyArray<string>): ViewModel => ({
  sessions: [],
  inbox: [],
  focused: null,
  tickets: [],
  pickerStates,
  chat: { question: null, answer: "", status: "idle", unavailable: null },
  diff: null,
  notice: null,
  harnessProblem: null,
  transcriptLineLimit
})
