import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Layer } from "effect"
import {
  type DomainEvent,
  InboxItemCreated,
  PullRequestObserved,
  SessionEvent,
  SessionSpawned,
  TicketSynced,
  WorkflowTransition,
  WorkItemCreated
} from "../../../src/domain/events.js"
import { InboxItemId, SessionId, TicketId, WorkItemId } from "../../../src/domain/ids.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { buildContextPack, type ContextBounds, defaultContextBounds } from "../../../src/layers/supervisor/contextPack.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { testTicket } from "./setup.js"

const TOTAL = 10_000
const long = (label: string) => `${label} ${"x".repeat(3000)}`

const ticket = (n: number) => testTicket(n, `Ticket ${n}`, long(`description of ${n}`))

/** 10 tickets with a work item and a session each, then worker chatter up to TOTAL events. */
const seed = Effect.gen(function* () {
  const store = yield* EventStore
  const setup: Array<DomainEvent> = []
  for (let n = 1; n <= 10; n++) {
    const workItemId = WorkItemId.make(`w-${n}`)
    const sessionId = SessionId.make(`s-${n}`)
    const ticketId = TicketId.make(`test:${n}`)
    setup.push(
      new TicketSynced({ ticket: ticket(n) }),
      new WorkItemCreated({ workItemId, ticketId, repoPath: "/repo" }),
      new SessionSpawned({ sessionId, workItemId, ticketId, harness: "harness.scripted", model: null, worktreePath: `/wt/${n}` }),
      new WorkflowTransition({ workItemId, from: "New", to: "Planning", reason: long("started") })
    )
  }
  yield* store.append(setup)
  let appended = setup.length
  let i = 0
  while (appended < TOTAL) {
    const batch: Array<DomainEvent> = []
    for (; batch.length < 500 && appended + batch.length < TOTAL; i++) {
      // Blocks of 50 per session, so every session gets every kind of event.
      const n = (Math.floor(i / 50) % 10) + 1
      const sessionId = SessionId.make(`s-${n}`)
      const workItemId = WorkItemId.make(`w-${n}`)
      const kind = i % 50
      batch.push(
        kind === 0
          ? new SessionEvent({ sessionId, event: { _tag: "Checkpoint", summary: long(`checkpoint ${i}`) } })
          : kind === 1
            ? new SessionEvent({
                sessionId,
                event: { _tag: "NeedsInput", requestId: `r${i}`, questions: [{ id: "q", question: long(`question ${i}`), options: [] }] }
              })
            : kind === 2
              ? new InboxItemCreated({
                  inboxItemId: InboxItemId.make(`i-${i}`),
                  workItemId,
                  sessionId,
                  lane: "decide",
                  urgency: i % 7,
                  title: `decide ${i}`,
                  body: long("body"),
                  requestId: null
                })
              : kind === 3
                ? new PullRequestObserved({
                    workItemId,
                    number: i,
                    url: `https://github.com/o/r/pull/${i}`,
                    state: "OPEN",
                    isDraft: true,
                    reviewDecision: "",
                    checks: "fail",
                    failingChecks: [{ name: long("lint"), link: null }],
                    headSha: null
                  })
                : kind % 2 === 0
                  ? new SessionEvent({ sessionId, event: { _tag: "TextDelta", itemId: "m", text: long("delta") } })
                  : new SessionEvent({ sessionId, event: { _tag: "Message", itemId: `m${i}`, text: long(`message ${i}`) } })
      )
    }
    yield* store.append(batch)
    appended += batch.length
  }
  return appended
})

const expectWithin = (pack: { readonly text: string; readonly sections: ReadonlyArray<{ readonly items: ReadonlyArray<string> }> }, bounds: ContextBounds) => {
  expect(pack.text.length).toBeLessThanOrEqual(bounds.maxTotalChars)
  for (const section of pack.sections) {
    expect(section.items.length).toBeLessThanOrEqual(Math.max(bounds.maxEvents, bounds.maxListItems))
    for (const item of section.items) expect(item.length).toBeLessThanOrEqual(bounds.maxItemChars)
  }
}

describe("context pack", () => {
  it.live("stays within its bounds with 10,000 events in the store, and lists the newest events", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      expect(yield* seed).toBe(TOTAL)
      const lastSeq = yield* store.lastSeq
      expect(lastSeq).toBe(TOTAL)
      const bounds = defaultContextBounds

      const started = yield* Clock.currentTimeMillis
      const global = yield* buildContextPack({ _tag: "Global" }, bounds)
      const perTicket = yield* buildContextPack({ _tag: "Ticket", ticketId: TicketId.make("test:3") }, bounds)
      const perSession = yield* buildContextPack({ _tag: "Session", sessionId: SessionId.make("s-10") }, bounds)
      const elapsed = (yield* Clock.currentTimeMillis) - started
      yield* Effect.logInfo(`three packs over ${TOTAL} events in ${elapsed} ms`)

      for (const pack of [global, perTicket, perSession]) expectWithin(pack, bounds)
      const recent = global.sections.find((s) => s.title === "Recent events")?.items ?? []
      expect(recent.length).toBe(bounds.maxEvents)
      expect(recent.at(-1)).toMatch(new RegExp(`^#${lastSeq} `))
      expect(recent.some((line) => line.includes("TextDelta"))).toBe(false)

      const titles = perSession.sections.map((s) => s.title)
      expect(titles).toEqual(expect.arrayContaining(["Session", "Ticket", "Workflow history", "Pull request and CI", "Checkpoints", "Needs input (open inbox)"]))
      const pr = perSession.sections.find((s) => s.title === "Pull request and CI")?.items ?? []
      expect(pr).toHaveLength(1)
      expect(pr[0]).toContain("checks fail")
      expect((perSession.sections.find((s) => s.title === "Checkpoints")?.items ?? []).length).toBeGreaterThan(0)
      expect(perTicket.sections.find((s) => s.title === "Ticket")?.items[0]).toContain("TST-3")
    }).pipe(Effect.provide(Layer.fresh(EventStoreTest)))
  )
})
