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
      vm: { ...state.vm, sessions: snapshot.sessions, inbox: snapshot.inbox, tickets: snapshot.tickets, runners: snapshot.runners },
      counts: snapshot.counts,
      tokens: snapshot.tokens,
      supervisor: snapshot.supervisor,
      seq: Math.max(state.seq, snapshot.seq)
    })
    return snapshot.seq
  }

  /** Following `sessionId`, the stream leaves out other sessions' worker events (most of a busy store). */
  const connect = (after: number, sessionId: string | null) => {
    source?.close()
    // EventSource resends the last id it saw on its own reconnects (Last-Event-ID).
    // With no session followed, no worker events at all ("none" names no session).
    const next = new EventSource(`/api/events?after=${after}&session=${encodeURIComponent(sessionId ?? "none")}`)
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
    // The new stream starts after the last event applied: what was still pending comes again, and
    // the focused transcript takes only what its history (read at detail.seq) does not hold.
    pending = []
    focusSeq = detail.seq
    set({ ...state, vm: { ...state.vm, focused: detail.view } })
    connect(state.seq, sessionId)
  }

  return {
    getSnapshot: () => state,
    subscribe: (listener: () => void) => {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    start: async () => {
      connect(await loadState(), null)
      // Counts and token totals come with the snapshot: read it again now and then.
      setInterval(() => void loadState().catch(() => undefined), 5000)
    },
    refresh: loadState,
    focus,
    setNotice: (notice: string | null) => set({ ...state, vm: { ...state.vm, notice } })
  }
}

export type PageStore = ReturnType<typeof makePageStore>
