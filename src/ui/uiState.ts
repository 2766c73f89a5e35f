import { sessionRows } from "./listRows.js"
import { type EditText, emptyEdit } from "./textEdit.js"
import type { SessionItem } from "../programs/view/viewModel.js"

/** Screen-local state the Effect side never sees: mode, overlay, cursor positions, typed text. */
export type Overlay = "none" | "picker" | "chat" | "diff" | "confirm" | "help" | "repository"

export interface Confirmation {
  readonly question: string
  readonly action: "merge" | "archive"
  readonly workItemId: string
}

export interface UiState {
  readonly overlay: Overlay
  readonly inserting: boolean
  readonly prefix: ReadonlyArray<string>
  readonly selected: number
  readonly scrollBack: number
  readonly expanded: boolean
  readonly input: EditText
  readonly chatInput: EditText
  /** What was sent to each session, oldest first (Up/Down in insert mode walk it). */
  readonly sent: Readonly<Record<string, ReadonlyArray<string>>>
  /** Where Up has walked to in `sent` (0 the newest), with the text typed before walking; null: not walking. */
  readonly recall: { readonly at: number; readonly draft: EditText } | null
  readonly filter: string
  readonly filtering: boolean
  readonly pickerSelected: number
  readonly newTitle: string | null
  readonly confirm: Confirmation | null
  readonly diffScroll: number
  readonly localNotice: string | null
  /** The repository chooser's typed path and selected row. */
  readonly repoPath: string
  readonly repoSelected: number
}

export const initialUiState: UiState = {
  overlay: "none",
  inserting: false,
  prefix: [],
  selected: 0,
  scrollBack: 0,
  expanded: false,
  input: emptyEdit,
  chatInput: emptyEdit,
  sent: {},
  recall: null,
  filter: "",
  filtering: false,
  pickerSelected: 0,
  newTitle: null,
  confirm: null,
  diffScroll: 0,
  localNotice: null,
  repoPath: "",
  repoSelected: 0
}

/** Sessions in the order the list shows them (by stage), which is the order j/k walk. */
export const orderedSessions = (sessions: ReadonlyArray<SessionItem>): ReadonlyArray<SessionItem> =>
  sessionRows(sessions).flatMap((row) => (row._tag === "item" ? [row.item] : []))

/** Messages remembered per session for recall. */
export const SENT_HISTORY = 50

export const clamp = (value: number, low: number, high: number): number => Math.min(Math.max(value, low), Math.max(low, high))
