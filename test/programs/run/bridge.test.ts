import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Layer, Option, Stream, SubscriptionRef, TestClock } from "effect"
import { envelope } from "../../../src/domain/bus.js"
import { defaultWorkflowStateMap } from "../../../src/domain/config.js"
import { ArtifactCreated, PullRequestObserved, SessionEvent, TicketSynced, WorkflowTransition } from "../../../src/domain/events.js"
import { ArtifactId, SessionId, WorkItemId } from "../../../src/domain/ids.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { at, now, ScriptedHarnessLog } from "../../../src/layers/harness/Scripted.js"
import { makeLocal } from "../../../src/layers/ticketing/Local.js"
import { makeUiBridge } from "../../../src/programs/run/bridge.js"
import { defaultStoreWriterOptions, startStoreWriter } from "../../../src/programs/storeWriter/storeWriter.js"
import { EventBus } from "../../../src/services/EventBus.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { Ticketing } from "../../../src/services/Ticketing.js"
import type { ViewModel } from "../../../src/programs/view/viewModel.js"
import { runtimeLayer } from "../../layers/runtime/fixture.js"
import { sampleTicket } from "../../support/sampleEvents.js"
import { testWorkflowLayer } from "./testWorkflow.js"

const script = {
  script: () => [
    now({ _tag: "TurnStarted", turnId: "t1" }),
    now({ _tag: "TextDelta", itemId: "m1", text: "Reading " }),
    at("5 millis", { _tag: "TextDelta", itemId: "m1", text: "the code." }),
    now({ _tag: "CommandExecution", itemId: "c1", command: "npm test", cwd: null, status: "completed", output: "1 passing\n2 failing", exitCode: 1 }),
    now({ _tag: "FileChange", itemId: "f1", status: "applied", changes: [{ path: "src/theme.ts", kind: "add" }] }),
    now({ _tag: "ApprovalRequested", requestId: "r1", kind: "command", subject: "npm install", cwd: null, reason: null }),
    now({ _tag: "TurnCompleted", turnId: "t1", status: "completed", usage: null, error: null })
  ],
  // The planning prompt is input 1; the person's first message is input 2.
  onInput: (_spec: unknown, _text: string, count: number) => [
    now({ _tag: "TurnStarted", turnId: `t${count + 1}` }),
    now({ _tag: "Message", itemId: `reply${count}`, text: `Reply ${count}` }),
    now({ _tag: "TurnCompleted", turnId: `t${count + 1}`, status: "completed", usage: null, error: null })
  ]
} as const

const LocalTickets = Layer.effect(Ticketing, makeLocal(defaultWorkflowStateMap))

const testLayer = testWorkflowLayer("diff --git a/x b/x\n+new").pipe(
  Layer.provideMerge(LocalTickets),
  Layer.provideMerge(runtimeLayer({ script: script.script, onInput: script.onInput })),
  Layer.provideMerge(EventStoreTest)
)

/** One long message streamed in 200 numbered chunks, 1 ms apart. */
const streamingLayer = testWorkflowLayer("").pipe(
  Layer.provideMerge(LocalTickets),
  Layer.provideMerge(
    runtimeLayer({
      script: () => [
        now({ _tag: "TurnStarted", turnId: "t1" }),
        ...Array.from({ length: 200 }, (_, i) => at("1 millis", { _tag: "TextDelta", itemId: "m1", text: `${i + 1};` })),
        now({ _tag: "TurnCompleted", turnId: "t1", status: "completed", usage: null, error: null }),
        now({ _tag: "Done", reason: "streamed" })
      ]
    })
  ),
  Layer.provideMerge(EventStoreTest)
)

const options = {
  transcriptLineLimit: 100,
  pickerStates: ["Todo"],
  backgroundRefresh: "50 millis",
  renderInterval: "10 millis",
  streamInterval: "10 millis",
  focusedWorkRefresh: "20 millis",
  busCapacity: 1024
} as const

/** The first model that satisfies `check` (bounded wait). */
const waitFor = (model: SubscriptionRef.SubscriptionRef<ViewModel>, check: (vm: ViewModel) => boolean) =>
  model.changes.pipe(
    Stream.filter(check),
    Stream.runHead,
    Effect.flatMap(Option.match({ onNone: () => Effect.die("model stream ended"), onSome: Effect.succeed })),
    Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => new Error("the view model never matched") })
  )

const text = (vm: ViewModel) => vm.focused?.blocks.map((b) => `${b.kind}:${b.text}`).join("\n") ?? ""

describe("UI bridge", () => {
  it.live("starts a ticket, streams the focused transcript, answers the approval and steers with a message", () =>
    Effect.gen(function* () {
      yield* startStoreWriter(defaultStoreWriterOptions(5))
      const bridge = yield* makeUiBridge(options)
      const notified: Array<number> = []
      bridge.store.subscribe(() => notified.push(bridge.store.getSnapshot().sessions.length))

      yield* Effect.promise(() => bridge.store.actions.createTicket("Add dark mode"))
      const withTicket = yield* waitFor(bridge.model, (vm) => vm.tickets.length === 1)
      const ticket = withTicket.tickets[0]
      expect(ticket?.title).toBe("Add dark mode")
      if (ticket === undefined) return

      yield* Effect.promise(() => bridge.store.actions.startTicket(ticket.id))
      const running = yield* waitFor(bridge.model, (vm) => (vm.focused?.pending.length ?? 0) > 0 && text(vm).includes("the code."))
      expect(running.focused?.label).toBe(ticket.identifier)
      expect(text(running)).toContain("message:Reading the code.")
      expect(text(running)).toContain("command:npm test  (exit 1)\n1 passing\n2 failing")
      expect(running.focused?.side.changedFiles).toEqual(["src/theme.ts"])
      expect(running.focused?.pending).toEqual([{ _tag: "Approval", requestId: "r1", kind: "command", subject: "npm install", reason: null }])
      expect(running.sessions.map((s) => s.label)).toEqual([ticket.identifier])
      expect(running.inbox.map((i) => i.lane)).toContain("approvals")

      yield* Effect.promise(() => bridge.store.actions.answerApproval("ses-1", "r1", "accept"))
      const answered = yield* waitFor(bridge.model, (vm) => vm.focused?.pending.length === 0 && !vm.inbox.some((i) => i.lane === "approvals"))
      expect(text(answered)).toContain("user:approval: accept")
      const calls = yield* (yield* ScriptedHarnessLog).calls
      expect(calls.filter((c) => c.op === "answerApproval").map((c) => c.detail)).toEqual(["r1 accept"])

      yield* Effect.promise(() => bridge.store.actions.sendMessage("ses-1", "use CSS variables"))
      const steered = yield* waitFor(bridge.model, (vm) => text(vm).includes("Reply 2"))
      expect(text(steered).indexOf("user:use CSS variables")).toBeLessThan(text(steered).indexOf("message:Reply 2"))
      // The screen heard about it: snapshots changed and listeners ran.
      yield* Effect.sleep("30 millis")
      expect(notified.length).toBeGreaterThan(0)
      expect(bridge.store.getSnapshot().focused?.sessionId).toBe("ses-1")
    }).pipe(Effect.scoped, Effect.provide(testLayer))
  )

  it.live("a focused session's history comes from the store; a failed action becomes the notice", () =>
    Effect.gen(function* () {
      const writer = yield* startStoreWriter(defaultStoreWriterOptions(5))
      const bridge = yield* makeUiBridge(options)
      yield* Effect.promise(() => bridge.store.actions.createTicket("First"))
      const vm = yield* waitFor(bridge.model, (vm) => vm.tickets.length === 1)
      yield* Effect.promise(() => bridge.store.actions.startTicket(vm.tickets[0]?.id ?? ""))
      yield* waitFor(bridge.model, (vm) => text(vm).includes("the code."))
      yield* writer.flush

      // Refocusing rebuilds the transcript from stored events alone.
      yield* bridge.update((vm) => ({ ...vm, focused: null }))
      yield* Effect.promise(() => bridge.store.actions.focusSession("ses-1"))
      const reloaded = yield* waitFor(bridge.model, (vm) => vm.focused !== null)
      expect(text(reloaded)).toContain("message:Reading the code.")
      expect(reloaded.focused?.workItemId).toBe("wi-1")

      yield* Effect.promise(() => bridge.store.actions.startTicket("local:nope"))
      const failed = yield* waitFor(bridge.model, (vm) => vm.notice?.includes("not in the store") === true)
      expect(failed.notice).toBe("start the ticket: ticket local:nope is not in the store")

      yield* Effect.promise(() => bridge.store.actions.merge("wi-1"))
      yield* waitFor(bridge.model, (vm) => vm.notice === "merge: no pull request")

      yield* Effect.promise(() => bridge.store.actions.openDiff("wi-1"))
      const diff = yield* waitFor(bridge.model, (vm) => vm.diff?.loading === false)
      expect(diff.diff?.text).toBe("diff --git a/x b/x\n+new")
      const chat = yield* SubscriptionRef.get(bridge.model)
      expect(chat.chat.unavailable).toContain("OPENROUTER_API_KEY")
    }).pipe(Effect.scoped, Effect.provide(testLayer))
  )

  it.live("the focused session's work item: a pull request and its checks recorded in the store show in the side panel within a refresh", () =>
    Effect.gen(function* () {
      yield* startStoreWriter(defaultStoreWriterOptions(5))
      const store = yield* EventStore
      // The lists refresh hourly here: only the focused work item's own reading can show the PR.
      const bridge = yield* makeUiBridge({ ...options, backgroundRefresh: "1 hour" })
      yield* Effect.promise(() => bridge.store.actions.createTicket("Open a PR"))
      const ticket = yield* Effect.flatMap(store.tickets({}), (tickets) => Effect.fromNullable(tickets[0]))
      yield* Effect.promise(() => bridge.store.actions.startTicket(ticket.id))
      const focused = yield* waitFor(bridge.model, (vm) => vm.focused?.workItemId === "wi-1")
      expect(focused.focused?.side.pullRequest).toBeNull()

      const workItemId = WorkItemId.make("wi-1")
      const url = "https://github.com/acme/app/pull/7"
      yield* store.append([
        new ArtifactCreated({ artifactId: ArtifactId.make("wi-1:pr:7"), workItemId, sessionId: null, kind: "pullRequest", title: "PR #7", uri: url }),
        new WorkflowTransition({ workItemId, from: "Planning", to: "Implementing", reason: "the plan was accepted" }),
        new WorkflowTransition({ workItemId, from: "Implementing", to: "PRDrafted", reason: "a draft pull request was opened" })
      ])
      const opened = yield* waitFor(bridge.model, (vm) => vm.focused?.side.pullRequest?.url === url)
      expect(opened.focused?.side.pullRequest).toEqual({ _tag: "Link", url })
      expect(opened.focused?.workflowState).toBe("PRDrafted")

      yield* store.append([
        new PullRequestObserved({
          workItemId,
          number: 7,
          url,
          state: "OPEN",
          isDraft: true,
          reviewDecision: "",
          checks: "fail",
          failingChecks: [{ name: "lint", link: null }],
          headSha: null
        })
      ])
      const draft = { _tag: "Observed", number: 7, url, state: "draft", checks: "fail", failingChecks: ["lint"], review: null }
      const observed = yield* waitFor(bridge.model, (vm) => vm.focused?.side.pullRequest?._tag === "Observed")
      expect(observed.focused?.side.pullRequest).toEqual(draft)

      yield* store.append([
        new PullRequestObserved({ workItemId, number: 7, url, state: "MERGED", isDraft: false, reviewDecision: "APPROVED", checks: "pass", failingChecks: [], headSha: null })
      ])
      const merged = { _tag: "Observed", number: 7, url, state: "merged", checks: "pass", failingChecks: [], review: "approved" }
      const mergedSeen = yield* waitFor(bridge.model, (vm) => vm.focused?.side.pullRequest?._tag === "Observed" && vm.focused.side.pullRequest.state === "merged")
      expect(mergedSeen.focused?.side.pullRequest).toEqual(merged)

      // Focusing again starts from the newest observation.
      yield* bridge.update((vm) => ({ ...vm, focused: null }))
      yield* Effect.promise(() => bridge.store.actions.focusSession("ses-1"))
      const refocused = yield* waitFor(bridge.model, (vm) => vm.focused !== null)
      expect(refocused.focused?.side.pullRequest).toEqual(merged)
    }).pipe(Effect.scoped, Effect.provide(testLayer))
  )

  it.live("other sessions' streams never crowd the focused one out of the screen's buffer", () =>
    Effect.gen(function* () {
      yield* startStoreWriter(defaultStoreWriterOptions(5))
      const bus = yield* EventBus
      const bridge = yield* makeUiBridge({ ...options, busCapacity: 64, streamInterval: "50 millis" })
      yield* Effect.promise(() => bridge.store.actions.createTicket("Focus me"))
      const vm = yield* waitFor(bridge.model, (vm) => vm.tickets.length === 1)
      yield* Effect.promise(() => bridge.store.actions.startTicket(vm.tickets[0]?.id ?? ""))
      const before = yield* waitFor(bridge.model, (vm) => text(vm).includes("the code."))
      const skipped = (vm: ViewModel) => vm.focused?.blocks.filter((b) => b.kind === "skipped").length ?? 0

      // A background session floods the bus (nothing it says can coalesce), then the focused one speaks.
      const background = SessionId.make("ses-background")
      yield* bus.publishAll(
        Array.from({ length: 500 }, (_, i) => envelope(new SessionEvent({ sessionId: background, event: { _tag: "TextDelta", itemId: `b${i}`, text: `${i}` } })))
      )
      yield* bus.publish(envelope(new SessionEvent({ sessionId: SessionId.make("ses-1"), event: { _tag: "Message", itemId: "late", text: "after the flood" } })))
      const after = yield* waitFor(bridge.model, (vm) => text(vm).includes("after the flood"))
      expect(skipped(after)).toBe(skipped(before))
      const ui = (yield* bus.counters).subscribers.find((c) => c.name === "ui")
      expect(ui?.dropped).toBe(0)
    }).pipe(Effect.scoped, Effect.provide(testLayer))
  )

  it.live("focusing a session while it streams never shows a chunk twice", () =>
    Effect.gen(function* () {
      yield* startStoreWriter(defaultStoreWriterOptions(2))
      const bridge = yield* makeUiBridge(options)
      yield* Effect.promise(() => bridge.store.actions.createTicket("Stream"))
      const vm = yield* waitFor(bridge.model, (vm) => vm.tickets.length === 1)
      yield* Effect.promise(() => bridge.store.actions.startTicket(vm.tickets[0]?.id ?? ""))
      yield* waitFor(bridge.model, (vm) => vm.focused?.sessionId === "ses-1")
      // Refocus again and again while deltas keep coming: each time the history is read from the
      // store and the live stream takes over.
      for (let i = 0; i < 8; i++) {
        yield* Effect.sleep("15 millis")
        yield* bridge.update((vm) => ({ ...vm, focused: null }))
        yield* Effect.promise(() => bridge.store.actions.focusSession("ses-1"))
      }
      const done = yield* waitFor(bridge.model, (vm) => vm.focused?.turnActive === false && text(vm).includes("done:"))
      const numbers = (done.focused?.blocks.find((b) => b.id === "m:m1")?.text ?? "").split(";").filter((n) => n !== "").map(Number)
      expect(numbers.length).toBeGreaterThan(10)
      expect(numbers.every((n, i) => i === 0 || n > (numbers[i - 1] ?? 0))).toBe(true)
    }).pipe(Effect.scoped, Effect.provide(streamingLayer))
  )

  it.scoped("tells the screen at most 30 times a second however fast the model changes, and the last change always arrives", () =>
    Effect.gen(function* () {
      const bridge = yield* makeUiBridge({ ...options, renderInterval: Duration.millis(33), backgroundRefresh: "1 hour" })
      // 1,000 changes over one second of TestClock time, ten per millisecond-tick of 10 ms.
      const writer = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 100 }, (_, i) => i), (i) =>
          Effect.zipRight(
            Effect.forEach(Array.from({ length: 10 }, (_, j) => i * 10 + j), (n) => bridge.update((vm) => ({ ...vm, notice: `change ${n}` }))),
            Effect.sleep("10 millis")
          )
        )
      )
      for (let step = 0; step < 110; step++) yield* TestClock.adjust("10 millis")
      yield* Fiber.join(writer)
      yield* TestClock.adjust("100 millis")
      const renders = yield* bridge.renders
      expect(renders).toBeGreaterThan(5)
      expect(renders).toBeLessThanOrEqual(42)
      expect(bridge.store.getSnapshot().notice).toBe("change 999")
    }).pipe(Effect.provide(testLayer))
  )

  it.live("the background refresh picks up a ticket appended after start, and reads no projection while nothing changes", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      yield* store.append([new TicketSynced({ ticket: sampleTicket(1) })])
      // Every projection read the bridge makes, by name.
      const reads: Array<string> = []
      const counted = EventStore.of({
        ...store,
        sessions: (filter) => Effect.zipRight(Effect.sync(() => reads.push("sessions")), store.sessions(filter)),
        tickets: (filter) => Effect.zipRight(Effect.sync(() => reads.push("tickets")), store.tickets(filter)),
        workItems: Effect.zipRight(Effect.sync(() => reads.push("workItems")), store.workItems),
        inbox: (filter) => Effect.zipRight(Effect.sync(() => reads.push("inbox")), store.inbox(filter))
      })
      const bridge = yield* makeUiBridge(options).pipe(Effect.provideService(EventStore, counted))
      // The first frame's lists come without the tickets; those follow at once, without waiting for an interval.
      expect(reads.sort()).toEqual(["inbox", "sessions", "workItems"])
      const first = yield* waitFor(bridge.model, (vm) => vm.tickets.length === 1)
      expect(first.tickets.map((t) => t.identifier)).toEqual(["LOC-1"])
      expect(reads.sort()).toEqual(["inbox", "sessions", "tickets", "workItems"])

      // Four refresh intervals with nothing appended: no projection is read again.
      reads.length = 0
      yield* Effect.sleep("200 millis")
      expect(reads).toEqual([])

      // A ticket appended by someone else (a sync, another command) shows within a refresh; only
      // the projections a TicketSynced can change are read (sessions join the ticket's key).
      yield* store.append([new TicketSynced({ ticket: sampleTicket(2) })])
      const updated = yield* waitFor(bridge.model, (vm) => vm.tickets.length === 2)
      expect(updated.tickets.map((t) => t.identifier).sort()).toEqual(["LOC-1", "LOC-2"])
      yield* Effect.sleep("100 millis")
      expect([...new Set(reads)].sort()).toEqual(["sessions", "tickets"])
      expect(reads.filter((r) => r === "tickets")).toHaveLength(1)
    }).pipe(Effect.scoped, Effect.provide(testLayer))
  )
})
