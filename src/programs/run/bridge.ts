import { Cause, Clock, Duration, Effect, Fiber, FiberSet, Option, Schema, Stream, SubscriptionRef } from "effect"
import type { BusDelivery, BusEnvelope } from "../../domain/bus.js"
import { SessionId, TicketId, WorkItemId } from "../../domain/ids.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventBus } from "../../services/EventBus.js"
import { EventStore } from "../../services/EventStore.js"
import { SessionRuntime } from "../../services/SessionRuntime.js"
import { Supervisor } from "../../services/Supervisor.js"
import { Ticketing } from "../../services/Ticketing.js"
import { Workflow } from "../../services/Workflow.js"
import { eventsAsDeliveries, foldFocused } from "../view/focusFold.js"
import { applyListEvent, applyRunners, applySnapshot, applyWorkEvents } from "../view/listFold.js"
import { RUNNER_HEARTBEAT_MS } from "../../domain/located.js"
import type { UiActions, UiStore } from "../view/uiStore.js"
import { emptySidePanel, emptyViewModel, type FocusedSession, type ViewModel } from "../view/viewModel.js"
import { readWorkSince, readWorkStart, type WorkCursor } from "./focusedWork.js"
import { readChangedSnapshot, readFirstSnapshot, type SnapshotAt } from "./storeSnapshot.js"
import { chosenPath, repositoryChoiceOf, withCompletions } from "./repositoryChoice.js"

export interface BridgeOptions {
  readonly transcriptLineLimit: number
  readonly pickerStates: ReadonlyArray<string>
  /** `background_session_refresh_secs`: how often the store is asked what changed (and only that is re-read). */
  readonly backgroundRefresh: Duration.DurationInput
  /** At most one render per interval (33 ms: 30 per second). */
  readonly renderInterval: Duration.DurationInput
  /**
   * The focused transcript takes in streamed events at most this often (100 ms: ten times a second):
   * a whole frame costs the same however little changed, so a streaming agent costs ten frames a
   * second, while keys and actions still show within `renderInterval`.
   */
  readonly streamInterval: Duration.DurationInput
  /** How often the focused session's work item (workflow state, PR, CI) is read from the store. */
  readonly focusedWorkRefresh: Duration.DurationInput
  /** The UI's `latest` bus buffer; beyond it the oldest events drop with a marker. */
  readonly busCapacity: number
}

export const defaultBridgeOptions = (ui: {
  readonly transcript_line_limit: number
  readonly ticket_picker_priority_states: ReadonlyArray<string>
  readonly background_session_refresh_secs: number
}): BridgeOptions => ({
  transcriptLineLimit: ui.transcript_line_limit,
  pickerStates: ui.ticket_picker_priority_states,
  backgroundRefresh: Duration.seconds(ui.background_session_refresh_secs),
  renderInterval: Duration.millis(33),
  streamInterval: Duration.millis(100),
  focusedWorkRefresh: Duration.seconds(1),
  busCapacity: 2048
})

export interface UiBridge {
  readonly store: UiStore
  readonly model: SubscriptionRef.SubscriptionRef<ViewModel>
  /** Notifications sent to the screen so far (each one is at most one render). */
  readonly renders: Effect.Effect<number>
  readonly update: (f: (vm: ViewModel) => ViewModel) => Effect.Effect<void>
}

/** Events of a session read from the store when it gets focus. */
const HISTORY_FACTOR = 4

const describe = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const error = failure.value
    if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string" && error.message !== "") return error.message
    return String(error)
  }
  return Cause.isInterruptedOnly(cause) ? "cancelled" : Cause.pretty(cause).split("\n")[0] ?? "unexpected failure"
}

const decodeWorkItemId = Schema.decodeUnknownOption(WorkItemId)

/**
 * The Effect side of the screen: folds the bus's `latest` subscription and the store into the view
 * model held in a SubscriptionRef, tells the screen at most once per `renderInterval`, and runs the
 * person's actions as Effects on this runtime. Everything stops with the scope.
 */
export const makeUiBridge = (options: BridgeOptions) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const bus = yield* EventBus
    const runtime = yield* SessionRuntime
    const workflow = yield* Workflow
    const ticketing = yield* Ticketing
    const supervisor = yield* Effect.serviceOption(Supervisor)
    const workspace = Option.getOrNull(Option.map(yield* Effect.serviceOption(AppConfig), (config) => config.settings.workspace))
    const limit = options.transcriptLineLimit
    // Fibers started by actions (summaries, chat answers) end with the bridge.
    const bridgeScope = yield* Effect.scope

    const model = yield* SubscriptionRef.make(emptyViewModel(limit, options.pickerStates))
    const update = (f: (vm: ViewModel) => ViewModel) => SubscriptionRef.update(model, f)
    const setNotice = (notice: string | null) => update((vm) => ({ ...vm, notice }))

    // The lists as last read and the store sequence they are current to: a refresh reads only what
    // the events appended since can change, and nothing (one read of the log's keys) when none were.
    let current: SnapshotAt | undefined
    const refreshing = yield* Effect.makeSemaphore(1)
    const refresh = refreshing.withPermits(1)(
      Effect.gen(function* () {
        const next = current === undefined ? yield* readFirstSnapshot(store) : yield* readChangedSnapshot(store, current)
        if (next === undefined) return
        current = next
        yield* update((vm) => applySnapshot(vm, next.snapshot))
      })
    ).pipe(Effect.catchAllCause((cause) => setNotice(`could not read the store: ${describe(cause)}`)))

    const fold = (vm: ViewModel, deliveries: ReadonlyArray<BusDelivery>): ViewModel => {
      let next = vm
      const focusedDeliveries: Array<BusDelivery> = []
      for (const delivery of deliveries) {
        if (delivery._tag === "Skipped") {
          if (next.focused !== null) focusedDeliveries.push(delivery)
          continue
        }
        next = applyListEvent(next, delivery.envelope.event)
        if (next.focused !== null && delivery.envelope.sessionId === next.focused.sessionId) focusedDeliveries.push(delivery)
      }
      return next.focused === null || focusedDeliveries.length === 0 ? next : { ...next, focused: foldFocused(next.focused, focusedDeliveries, limit) }
    }

    // Only the focused session streams live: other sessions' worker events are refused at the bus
    // (they cost one comparison there) and reach the lists with the background refresh.
    let watched: SessionId | null = null
    const wanted = (item: BusEnvelope): boolean => item.event._tag !== "SessionEvent" || item.sessionId === watched
    // Subscribed before the first read of the store, so nothing published in between is missed.
    const subscription = yield* bus.subscribe({ name: "ui", policy: "latest", capacity: options.busCapacity, filter: wanted })
    yield* refresh
    // Everything buffered at once, one model update per batch, then a rest while the bus buffers more.
    yield* subscription.take(options.busCapacity).pipe(
      Effect.flatMap((deliveries) => update((vm) => fold(vm, deliveries))),
      Effect.zipRight(Effect.sleep(options.streamInterval)),
      Effect.forever,
      Effect.forkScoped
    )
    // At once the tickets the first read left out, then every interval whatever changed.
    yield* refresh.pipe(Effect.zipRight(refresh.pipe(Effect.delay(options.backgroundRefresh), Effect.forever)), Effect.forkScoped)
    // On a cluster, the runners' health: their rows change without events (each refreshes its own).
    const cluster = Option.exists(yield* Effect.serviceOption(AppConfig), (config) => config.settings.cluster.enabled)
    if (cluster) {
      const readRunners = Effect.all([store.runners, Clock.currentTimeMillis]).pipe(
        Effect.flatMap(([rows, now]) => update((vm) => applyRunners(vm, rows, now))),
        Effect.catchAllCause((cause) => setNotice(`could not read the runners: ${describe(cause)}`))
      )
      yield* readRunners.pipe(Effect.zipRight(readRunners.pipe(Effect.delay(Duration.millis(RUNNER_HEARTBEAT_MS)), Effect.forever)), Effect.forkScoped)
    }

    // The focused work item's records since focus; null while the focused session has none.
    let workCursor: WorkCursor | null = null
    const readFocusedWork = Effect.suspend(() => {
      const cursor = workCursor
      if (cursor === null) return Effect.void
      return Effect.flatMap(readWorkSince(store, cursor), (read) => {
        // Focus moved meanwhile: the next round reads the new work item.
        if (workCursor !== cursor) return Effect.void
        workCursor = read.cursor
        return read.events.length === 0 ? Effect.void : update((vm) => applyWorkEvents(vm, read.events))
      })
    }).pipe(Effect.catchAllCause((cause) => setNotice(`could not read the store: ${describe(cause)}`)))
    yield* readFocusedWork.pipe(Effect.delay(options.focusedWorkRefresh), Effect.forever, Effect.forkScoped)

    // The screen reads a snapshot that changes at most once per interval; the newest model wins.
    let snapshot = yield* SubscriptionRef.get(model)
    let renders = 0
    const listeners = new Set<() => void>()
    yield* model.changes.pipe(
      Stream.buffer({ capacity: 1, strategy: "sliding" }),
      Stream.throttle({ cost: () => 1, units: 1, duration: options.renderInterval, strategy: "shape" }),
      Stream.runForEach((vm) =>
        Effect.sync(() => {
          if (vm === snapshot) return
          snapshot = vm
          renders += 1
          for (const listener of listeners) listener()
        })
      ),
      Effect.forkScoped
    )

    /** `hint`: what the caller already knows of a session the store may not hold yet. */
    const focusOn = (sessionId: SessionId, hint?: { readonly label: string; readonly workItemId: string }) =>
      Effect.gen(function* () {
        // No session streams while the history is read; what the buffer already holds was published
        // before the read, so it goes to the old focus now rather than onto the history later.
        watched = null
        const before = yield* subscription.takeNow(options.busCapacity)
        if (before.length > 0) yield* update((vm) => fold(vm, before))
        // An ended session cannot hold the runtime's focus; its history still shows.
        yield* runtime.focus(sessionId).pipe(Effect.ignore)
        const row = yield* store.session(sessionId)
        const history = yield* store.events({
          sessionId,
          types: ["SessionEvent", "UserResponded", "AgentInstructed"],
          limit: limit * HISTORY_FACTOR,
          newestFirst: true
        })
        // A session spawned a moment ago may not be in the store yet; the list already knows it from the bus.
        const listed = (yield* SubscriptionRef.get(model)).sessions.find((s) => s.sessionId === sessionId)
        const workItemId = Option.isSome(row)
          ? row.value.workItemId
          : Option.getOrNull(decodeWorkItemId(listed?.workItemId ?? hint?.workItemId))
        const pr = workItemId !== null ? yield* store.workItem(workItemId) : Option.none()
        const work = workItemId !== null ? yield* readWorkStart(store, workItemId) : null
        const link = Option.getOrNull(Option.flatMap(pr, (w) => Option.fromNullable(w.pullRequestUrl)))
        const start: FocusedSession = {
          sessionId,
          workItemId,
          label: Option.match(row, { onNone: () => hint?.label ?? listed?.label ?? sessionId.slice(0, 8), onSome: (r) => r.ticketIdentifier ?? sessionId.slice(0, 8) }),
          state: Option.match(row, { onNone: () => listed?.state ?? "Starting", onSome: (r) => r.state }),
          workflowState: Option.match(row, { onNone: () => listed?.workflowState ?? null, onSome: (r) => r.workflowState }),
          turnActive: false,
          blocks: [],
          pending: [],
          // The work item's PR link until the newest observation (read below) says more.
          side: { ...emptySidePanel, pullRequest: link === null ? null : { _tag: "Link", url: link } }
        }
        const events = [...history].reverse().map((stored) => stored.event)
        const focused = foldFocused(start, eventsAsDeliveries(events), limit)
        // Streams live from here on: what is published now cannot be in the history just read, so
        // nothing shows twice (what was published during the reads and not yet stored is missed).
        watched = sessionId
        yield* update((vm) =>
          applyWorkEvents({ ...vm, focused: { ...focused, state: vm.sessions.find((s) => s.sessionId === sessionId)?.state ?? focused.state } }, work?.events ?? [])
        )
        workCursor = work?.cursor ?? null
        if (Option.isSome(supervisor)) yield* Effect.forkIn(loadSummary(sessionId), bridgeScope)
      })

    const loadSummary = (sessionId: SessionId) =>
      Option.match(supervisor, {
        onNone: () => Effect.void,
        onSome: (s) =>
          s.sessionSummary(sessionId).pipe(
            Effect.timeout("30 seconds"),
            Effect.flatMap((summary) =>
              update((vm) => (vm.focused?.sessionId === sessionId ? { ...vm, focused: { ...vm.focused, side: { ...vm.focused.side, summary } } } : vm))
            ),
            Effect.ignore
          )
      })

    let chatFiber: Fiber.RuntimeFiber<void> | null = null
    const ask = (question: string, sessionId: string | null) =>
      Effect.gen(function* () {
        if (Option.isNone(supervisor)) return
        if (chatFiber !== null) yield* Fiber.interrupt(chatFiber)
        yield* update((vm) => ({ ...vm, chat: { ...vm.chat, question, answer: "", status: "streaming" } }))
        const scope = sessionId === null ? { _tag: "Global" as const } : { _tag: "Session" as const, sessionId: SessionId.make(sessionId) }
        chatFiber = yield* supervisor.value.ask({ question, scope, kind: null }).pipe(
          Stream.runForEach((event) =>
            event._tag === "AnswerText" ? update((vm) => ({ ...vm, chat: { ...vm.chat, answer: vm.chat.answer + event.text } })) : Effect.void
          ),
          Effect.zipRight(update((vm) => ({ ...vm, chat: { ...vm.chat, status: "finished" } }))),
          Effect.catchAllCause((cause) =>
            update((vm) => ({ ...vm, notice: `supervisor: ${describe(cause)}`, chat: { ...vm.chat, status: "failed" } }))
          ),
          Effect.forkIn(bridgeScope)
        )
      })

    if (Option.isNone(supervisor)) {
      yield* update((vm) => ({ ...vm, chat: { ...vm.chat, unavailable: "The supervisor needs OPENROUTER_API_KEY in the environment." } }))
    }

    const runPromise = yield* FiberSet.makeRuntimePromise<never>()
    // Failures become the notice line; only interruption (quitting) is left for the catch below.
    const act = <E>(effect: Effect.Effect<void, E>, done?: string): Promise<void> =>
      runPromise(
        effect.pipe(
          Effect.zipRight(done === undefined ? Effect.void : setNotice(done)),
          Effect.catchAllCause((cause) => setNotice(describe(cause)))
        )
      ).catch(() => undefined)

    const decode = <A>(make: (s: string) => A, raw: string) => Effect.try({ try: () => make(raw), catch: () => `not a valid id: ${raw}` })

    const actions: UiActions = {
      focusSession: (id) => act(Effect.flatMap(decode(SessionId.make, id), (sessionId) => focusOn(sessionId))),
      startTicket: (id, repoPath) =>
        act(
          Effect.gen(function* () {
            const ticketId = yield* decode(TicketId.make, id)
            // People know a ticket by its key (ENG-42), never by the internal id.
            const key = (yield* SubscriptionRef.get(model)).tickets.find((t) => t.id === id)?.identifier ?? id
            yield* setNotice(`starting ${key}…`)
            const started = yield* workflow.startTicket(ticketId, repoPath === undefined ? undefined : { repoPath: chosenPath(repoPath) }).pipe(
              // No repository known: the screen asks for one (repositoryChoice.ts).
              Effect.tapError((error) => (error._tag === "RepositoryUnknown" ? update((vm) => ({ ...vm, repositoryChoice: repositoryChoiceOf(error, key, workspace) })) : Effect.void))
            )
            yield* update((vm) => ({ ...vm, repositoryChoice: null }))
            yield* refresh
            yield* focusOn(started.sessionId, { label: key, workItemId: started.workItemId })
            yield* setNotice(`started ${key}`)
          })
        ),
      createTicket: (title) =>
        act(
          Effect.gen(function* () {
            const ticket = yield* ticketing.create({ title, description: "", project: null })
            yield* refresh
            yield* setNotice(`created ${ticket.identifier}`)
          })
        ),
      sendMessage: (id, text) => act(Effect.flatMap(decode(SessionId.make, id), (sessionId) => runtime.sendInput(sessionId, text))),
      answerInput: (id, requestId, answers) =>
        act(Effect.flatMap(decode(SessionId.make, id), (sessionId) => runtime.answerInput(sessionId, requestId, answers))),
      answerApproval: (id, requestId, decision) =>
        act(Effect.flatMap(decode(SessionId.make, id), (sessionId) => runtime.answerApproval(sessionId, requestId, decision))),
      advance: (id) => act(Effect.flatMap(decode(WorkItemId.make, id), workflow.advance), "workflow advanced"),
      merge: (id) => act(Effect.flatMap(decode(WorkItemId.make, id), workflow.merge), "merge requested"),
      archive: (id) => act(Effect.flatMap(decode(WorkItemId.make, id), workflow.archive), "archived"),
      openDiff: (id) =>
        act(
          Effect.gen(function* () {
            const workItemId = yield* decode(WorkItemId.make, id)
            const label = (yield* SubscriptionRef.get(model)).focused?.label ?? id
            yield* update((vm) => ({ ...vm, diff: { label, text: "", loading: true } }))
            const text = yield* workflow.diff(workItemId).pipe(Effect.tapErrorCause(() => update((vm) => ({ ...vm, diff: null }))))
            yield* update((vm) => ({ ...vm, diff: { label, text, loading: false } }))
          })
        ),
      closeDiff: () => act(update((vm) => ({ ...vm, diff: null }))),
      ask: (question, sessionId) => act(ask(question, sessionId)),
      completePath: (typed) => act(update((vm) => withCompletions(vm, typed)))
    }

    const uiStore: UiStore = {
      getSnapshot: () => snapshot,
      subscribe: (listener) => {
        listeners.add(listener)
        return () => void listeners.delete(listener)
      },
      actions
    }
    return { store: uiStore, model, renders: Effect.sync(() => renders), update } satisfies UiBridge
  })
