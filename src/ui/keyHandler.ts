import { deleteBack, editKey, editOf, emptyEdit, isTypedText } from "./textEdit.js"
import { type KeyCommand, type KeyContext, matchKeys } from "./keymap.js"
import { pickerRows, pickerTickets } from "./pickerRows.js"
import { repositoryRows } from "./repositoryRows.js"
import type { UiActions } from "../programs/view/uiStore.js"
import { clamp, orderedSessions, SENT_HISTORY, type UiState } from "./uiState.js"
import type { ViewModel } from "../programs/view/viewModel.js"

/** What one key press does: the next screen state, maybe an action to run, maybe quit. */
export interface KeyOutcome {
  readonly state: UiState
  readonly run?: (actions: UiActions) => Promise<void>
  readonly exit?: boolean
}

export const contextOf = (state: UiState): KeyContext => {
  switch (state.overlay) {
    case "none":
      return state.inserting ? "insert" : "normal"
    case "picker":
      return state.filtering || state.newTitle !== null ? "pickerFilter" : "picker"
    default:
      return state.overlay
  }
}

/** Lines PgUp/PgDn move when the caller does not say how tall the transcript is. */
const PAGE = 10

/** A one-line field (the picker's filter, a new ticket's title): typing appends, backspace drops a grapheme. */
const editText = (text: string, token: string): string | null => {
  if (token === "backspace") return deleteBack(editOf(text)).text
  return isTypedText(token) ? text + token : null
}

const typed = (state: UiState, context: KeyContext, token: string): UiState | null => {
  switch (context) {
    case "insert": {
      const input = editKey(state.input, token)
      return input === null ? null : { ...state, input, recall: null }
    }
    case "chat": {
      const chatInput = editKey(state.chatInput, token === "newline" ? " " : token)
      return chatInput === null ? null : { ...state, chatInput }
    }
    case "pickerFilter": {
      if (state.newTitle !== null) {
        const newTitle = editText(state.newTitle, token)
        return newTitle === null ? null : { ...state, newTitle }
      }
      const filter = editText(state.filter, token)
      return filter === null ? null : { ...state, filter, pickerSelected: 0 }
    }
    case "repository": {
      const repoPath = editText(state.repoPath, token)
      return repoPath === null ? null : { ...state, repoPath, repoSelected: 0 }
    }
    case "picker": {
      // Type to filter: any other printable key starts the filter with itself.
      const filter = token.length === 1 && token !== " " ? state.filter + token : null
      return filter === null ? null : { ...state, filter, filtering: true, pickerSelected: 0 }
    }
    default:
      return null
  }
}

/** One key press, given the keys already pending (a prefix such as `w`); `page` is the transcript's height in screen lines. */
export const handleKey = (state: UiState, token: string, vm: ViewModel, page = PAGE): KeyOutcome => {
  const context = contextOf(state)
  const match = matchKeys(context, state.prefix, token)
  const base: UiState = { ...state, prefix: [], localNotice: null }
  if (match._tag === "Pending") return { state: { ...state, prefix: match.prefix } }
  if (match._tag === "None") {
    if (state.prefix.length > 0) return { state: { ...base, localNotice: `${[...state.prefix, token].join(" ")} is not bound (? for help)` } }
    const next = typed(base, context, token) ?? base
    // The chooser's completions follow the typed path.
    if (context === "repository" && next.repoPath !== state.repoPath) return { state: next, run: (a) => a.completePath?.(next.repoPath) ?? Promise.resolve() }
    return { state: next }
  }
  return command(base, match.command, match.token, vm, page)
}

const needFocus = (state: UiState): KeyOutcome => ({ state: { ...state, localNotice: "No session is focused: pick one with j/k or start a ticket with s." } })

const command = (state: UiState, cmd: KeyCommand, token: string, vm: ViewModel, page: number): KeyOutcome => {
  const focused = vm.focused
  const sessions = orderedSessions(vm.sessions)
  const context = contextOf(state)
  switch (cmd) {
    case "quit":
      return { state, exit: true }
    case "help":
      return { state: { ...state, overlay: "help" } }
    case "openPicker":
      return { state: { ...state, overlay: "picker", filter: "", filtering: false, pickerSelected: 0, newTitle: null } }
    case "openChat":
      return { state: { ...state, overlay: "chat" } }
    case "insertMode":
      return focused === null ? needFocus(state) : { state: { ...state, inserting: true } }
    case "normalMode":
      return { state: { ...state, inserting: false } }
    case "moveDown":
    case "moveUp": {
      const step = cmd === "moveDown" ? 1 : -1
      if (context === "repository") {
        const count = vm.repositoryChoice == null ? 0 : repositoryRows(vm.repositoryChoice, state.repoPath).length
        return { state: { ...state, repoSelected: clamp(state.repoSelected + step, 0, count - 1) } }
      }
      if (context === "picker" || context === "pickerFilter") {
        const count = pickerTickets(pickerRows(vm.tickets, vm.pickerStates, state.filter)).length
        return { state: { ...state, pickerSelected: clamp(state.pickerSelected + step, 0, count - 1) } }
      }
      if (sessions.length === 0) return { state }
      const currentIndex = sessions.findIndex((s) => s.sessionId === focused?.sessionId)
      const selected = clamp((currentIndex === -1 ? state.selected : currentIndex) + step, 0, sessions.length - 1)
      const target = sessions[selected]
      return {
        state: { ...state, selected, scrollBack: 0 },
        ...(target !== undefined ? { run: (a: UiActions) => a.focusSession(target.sessionId) } : {})
      }
    }
    case "focusSession": {
      const target = sessions[state.selected]
      return target === undefined ? { state } : { state, run: (a) => a.focusSession(target.sessionId) }
    }
    case "scrollUp":
    case "scrollDown": {
      const step = token === "J" || token === "K" || token === "j" || token === "k" || token === "up" || token === "down" ? 1 : Math.max(1, page - 1)
      const delta = cmd === "scrollUp" ? step : -step
      if (context === "diff") return { state: { ...state, diffScroll: Math.max(0, state.diffScroll - delta) } }
      return { state: { ...state, scrollBack: Math.max(0, state.scrollBack + delta) } }
    }
    case "toggleFolds":
      return { state: { ...state, expanded: !state.expanded } }
    case "send": {
      if (context === "chat") {
        const question = state.chatInput.text.trim()
        if (question === "") return { state }
        return { state: { ...state, chatInput: emptyEdit }, run: (a) => a.ask(question, focused?.sessionId ?? null) }
      }
      const text = state.input.text.trim()
      if (focused === null || text === "") return { state: { ...state, input: emptyEdit, recall: null } }
      const sent = { ...state.sent, [focused.sessionId]: [...(state.sent[focused.sessionId] ?? []), text].slice(-SENT_HISTORY) }
      const after: UiState = { ...state, input: emptyEdit, recall: null, sent }
      const question = focused.pending.find((p) => p._tag === "Input")
      const first = question?._tag === "Input" ? question.questions[0] : undefined
      if (question !== undefined && first !== undefined && first.options.length === 0) {
        return { state: { ...after, inserting: false }, run: (a) => a.answerInput(focused.sessionId, question.requestId, { [first.id]: text }) }
      }
      return { state: after, run: (a) => a.sendMessage(focused.sessionId, text) }
    }
    case "recallOlder":
    case "recallNewer": {
      const sent = focused === null ? [] : (state.sent[focused.sessionId] ?? [])
      const from = state.recall?.at ?? -1
      const at = cmd === "recallOlder" ? Math.min(from + 1, sent.length - 1) : from - 1
      if (at < 0) return { state: state.recall === null ? state : { ...state, input: state.recall.draft, recall: null } }
      const text = sent[sent.length - 1 - at] ?? ""
      return { state: { ...state, input: editOf(text), recall: { at, draft: state.recall?.draft ?? state.input } } }
    }
    case "approve":
    case "decline": {
      const approval = focused?.pending.find((p) => p._tag === "Approval")
      if (focused === null || approval === undefined) return { state: { ...state, localNotice: "Nothing is waiting for an approval." } }
      const decision = cmd === "approve" ? "accept" : "decline"
      return { state, run: (a) => a.answerApproval(focused.sessionId, approval.requestId, decision) }
    }
    case "chooseOption": {
      const question = focused?.pending.find((p) => p._tag === "Input")
      const first = question?._tag === "Input" ? question.questions[0] : undefined
      const option = first?.options[Number(token) - 1]
      if (focused === null || question === undefined || first === undefined || option === undefined) {
        return { state: { ...state, localNotice: `No question has an option ${token}.` } }
      }
      return { state, run: (a) => a.answerInput(focused.sessionId, question.requestId, { [first.id]: option }) }
    }
    case "advance":
    case "merge":
    case "archive":
    case "openDiff": {
      if (focused === null) return needFocus(state)
      const workItemId = focused.workItemId
      if (workItemId === null) return { state: { ...state, localNotice: "This session has no work item (no ticket)." } }
      if (cmd === "advance") return { state, run: (a) => a.advance(workItemId) }
      if (cmd === "openDiff") return { state: { ...state, overlay: "diff", diffScroll: 0 }, run: (a) => a.openDiff(workItemId) }
      const question = cmd === "merge" ? `Merge the pull request of ${focused.label}?` : `Archive ${focused.label}? (work is saved first)`
      return { state: { ...state, overlay: "confirm", confirm: { question, action: cmd, workItemId } } }
    }
    case "confirm": {
      const confirm = state.confirm
      const closed = { ...state, overlay: "none" as const, confirm: null }
      if (confirm === null) return { state: closed }
      return { state: closed, run: (a) => (confirm.action === "merge" ? a.merge(confirm.workItemId) : a.archive(confirm.workItemId)) }
    }
    case "cancel":
      return { state: { ...state, overlay: "none", confirm: null } }
    case "pickerStart": {
      if (state.newTitle !== null) {
        const title = state.newTitle.trim()
        if (title === "") return { state }
        return { state: { ...state, newTitle: null, filtering: false }, run: (a) => a.createTicket(title) }
      }
      const ticket = pickerTickets(pickerRows(vm.tickets, vm.pickerStates, state.filter))[state.pickerSelected]
      if (ticket === undefined) return { state }
      return { state: { ...state, overlay: "none", filtering: false }, run: (a) => a.startTicket(ticket.id) }
    }
    case "completePath": {
      const choice = vm.repositoryChoice
      const row = choice == null ? undefined : repositoryRows(choice, state.repoPath)[state.repoSelected]
      if (row === undefined) return { state }
      const repoPath = row.endsWith("/") ? row : `${row}/`
      return { state: { ...state, repoPath, repoSelected: 0 }, run: (a) => a.completePath?.(repoPath) ?? Promise.resolve() }
    }
    case "chooseRepository": {
      const choice = vm.repositoryChoice
      if (choice == null) return { state: { ...state, overlay: "none" } }
      const path = repositoryRows(choice, state.repoPath)[state.repoSelected] ?? state.repoPath.trim()
      if (path === "") return { state: { ...state, localNotice: "Type a path or pick a repository." } }
      return { state: { ...state, overlay: "none" }, run: (a) => a.startTicket(choice.ticketId, path) }
    }
    case "pickerNew":
      return { state: { ...state, newTitle: "" } }
    case "pickerFilter":
      return { state: { ...state, filtering: true } }
    case "close": {
      if (context === "pickerFilter") return { state: { ...state, filtering: false, newTitle: null } }
      if (context === "diff") return { state: { ...state, overlay: "none" }, run: (a) => a.closeDiff() }
      return { state: { ...state, overlay: "none" } }
    }
  }
}
