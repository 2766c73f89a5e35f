import type { ViewModel } from "./viewModel.js"

/** What the person can do; each runs as an Effect on the other side and never rejects. */
export interface UiActions {
  readonly focusSession: (sessionId: string) => Promise<void>
  /** `repoPath`: the repository the person chose for a ticket none is known for (remembered for its project). */
  readonly startTicket: (ticketId: string, repoPath?: string) => Promise<void>
  readonly createTicket: (title: string) => Promise<void>
  /** A new turn, or a steer when a turn is active. */
  readonly sendMessage: (sessionId: string, text: string) => Promise<void>
  readonly answerInput: (sessionId: string, requestId: string, answers: Readonly<Record<string, string>>) => Promise<void>
  readonly answerApproval: (sessionId: string, requestId: string, decision: "accept" | "decline") => Promise<void>
  readonly advance: (workItemId: string) => Promise<void>
  readonly merge: (workItemId: string) => Promise<void>
  readonly archive: (workItemId: string) => Promise<void>
  readonly openDiff: (workItemId: string) => Promise<void>
  readonly closeDiff: () => Promise<void>
  readonly ask: (question: string, sessionId: string | null) => Promise<void>
  /** Reads the directories completing a typed path into the repository choice. */
  readonly completePath?: (typed: string) => Promise<void>
}

/** The view model as an external store for React (`useSyncExternalStore`) plus the actions. */
export interface UiStore {
  readonly getSnapshot: () => ViewModel
  readonly subscribe: (listener: () => void) => () => void
  readonly actions: UiActions
}
