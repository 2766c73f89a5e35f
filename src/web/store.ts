/// <reference lib="dom" />
import type { DomainEvent } from "../domain/events.js"
import { foldFocused } from "../programs/view/focusFold.js"
import { applyListEvent } from "../programs/view/listFold.js"
import { emptyViewModel, type ViewModel } from "../programs/view/viewModel.js"
import type { SessionDetail, StateSnapshot } from "../programs/web/viewSchemas.js"
import { getJson } from "./api.js"
import { decodeDetail, decodeEvent, decodeFrame, decodeState } from "./decode.js"

export interface PageState {
  readonly vm: ViewModel
  readonly counts: StateSnapshot["counts"] | null
  readonly tokens: StateSnapshot["tokens"] | null
  readonly supervisor: boolean
  readonly connected: boolean
  /** The newest store sequence the page has applied. */
  readonly seq: number
}

interface Received {
  readonly seq: number
  readonly event: DomainEvent
}

/** Events kept to replay onto a session's history when it gets focus (it was read at some sequence). */
const RECENT = 4000

/**
 * The page's copy of the view model: a snapshot from the API, then every stored event from the
 * stream folded in with the screen's own folds (lists, and the focused transcript). Updates reach
 * React at most once per animation frame however fast events come.
 */
export const makePageStore = (limit: number) => {
  let state: PageState = { vm: emptyViewModel(limit, []), counts: null, tokens: null, supervisor: false, connected: false, seq: 0 }
  const listeners = new Set<() => void>()
  let pending: Array<Received> = []
  let scheduled = false
  let recent: Array<Received> = []
  let focusSeq = Number.POSITIVE_INFINITY
  let source: EventSource | null = null

  const emit = () => listeners.forEach((listener) => listener())
  const set = (next: PageState) => {
    state = next
    emit()
  }

  const applyBatch = () => {
    scheduled = false
    const batch = pending
    pending = []
    if (batch.length === 0) return
    let vm = state.vm
    for (const { seq, event } of batch) {
      vm = applyListEvent(vm, event)
      const focused = vm.focused
      if (focused !== null && seq > focusSeq && "sessionId" in event && event.sessionId === focused.sessionId) {
        vm = { ...vm, focused: foldFocused(focused, [{ _tag: "Event", envelope: { sessionId: null, event } }], limit) }
      }
    }
    set({ ...state, vm, seq: batch[batch.length - 1]?.seq ?? state.seq })
  }

  const receive = (seq: number, event: DomainEvent) => {
    recent.push({ seq, event })
    if (recent.length > RECENT) recent = recent.slice(recent.length - RECENT / 2)
    pending.push({ seq, event })
    if (!scheduled) {
      scheduled = true
      requestAnimationFrame(applyBatch)
    }
  }

  const loadState = async () => {
    const snapshot = decodeState(await getJson("/api/state"))
    set({
      ...state,
      vm: { ...state.vm, sessions: snapshot.sessions, inbox: snapshot.inbox, tickets: snapshot.tickets },
      counts: snapshot.counts,
      tokens: snapshot.tokens,
      supervisor: snapshot.supervisor,
      seq: Math.max(state.seq, snapshot.seq)
    })
    return snapshot.seq
  }

  const connect = (after: number) => {
    source?.close()
    // EventSource resends the last id it saw on its own reconnects (Last-Event-ID).
    const next = new EventSource(`/api/events?after=${after}`)
    source = next
    next.addEventListener("open", () => set({ ...state, connected: true }))
    next.addEventListener("error", () => set({ ...state, connected: false }))
    next.addEventListener("event", (message) => {
      const frame = decodeFrame(message.data)
      receive(frame.seq, decodeEvent(frame.event))
    })
    // Too far behind: the server skipped ahead; the lists and the focus are read afresh.
    next.addEventListener("skipped", () => {
      void loadState()
      const focused = state.vm.focused
      if (focused !== null) void focus(focused.sessionId)
    })
  }

  const focus = async (sessionId: string) => {
    const detail: SessionDetail = decodeDetail(await getJson(`/api/sessions/${encodeURIComponent(sessionId)}`))
    focusSeq = detail.seq
    applyBatch()
    let focused = detail.view
    // What the stream brought after the history was read belongs on top of it.
    const later = recent.filter((r) => r.seq > detail.seq && "sessionId" in r.event && r.event.sessionId === sessionId)
    if (later.length > 0) focused = foldFocused(focused, later.map((r) => ({ _tag: "Event" as const, envelope: { sessionId: null, event: r.event } })), limit)
    set({ ...state, vm: { ...state.vm, focused } })
  }

  return {
    getSnapshot: () => state,
    subscribe: (listener: () => void) => {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    start: async () => {
      connect(await loadState())
      // Counts and token totals come with the snapshot: read it again now and then.
      setInterval(() => void loadState().catch(() => undefined), 5000)
    },
    refresh: loadState,
    focus,
    setNotice: (notice: string | null) => set({ ...state, vm: { ...state.vm, notice } })
  }
}

export type PageStore = ReturnType<typeof makePageStore>
