import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Ref } from "effect"
import { TicketSynced } from "../../../src/domain/events.js"
import { TicketId } from "../../../src/domain/ids.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { SupervisorTest } from "../../../src/layers/supervisor/Test.js"
import { makeTicketingTest } from "../../../src/layers/ticketing/Test.js"
import { askQuestion, resolveScope } from "../../../src/programs/supervisor/ask.js"
import { AppConfig } from "../../../src/services/AppConfig.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { Ticketing } from "../../../src/services/Ticketing.js"
import { testConfig, ticket1 } from "../../layers/supervisor/setup.js"

const world = (turns: Parameters<typeof SupervisorTest>[0]) =>
  Effect.gen(function* () {
    const tracker = yield* makeTicketingTest({ tickets: [ticket1] })
    const config = yield* testConfig("http://127.0.0.1:9/api/v1", true)
    return {
      tracker,
      layer: SupervisorTest(turns).pipe(
        Layer.provideMerge(EventStoreTest),
        Layer.provideMerge(Layer.succeed(Ticketing, tracker.service)),
        Layer.provide(Layer.succeed(AppConfig, config))
      )
    }
  })

describe("ask (program, scripted supervisor)", () => {
  it.effect("streams the answer piece by piece and reports the tool calls it made", () =>
    Effect.gen(function* () {
      const { tracker, layer } = yield* world([
        { tool: "comment_on_ticket", params: { id: "test:1", body: "Blocked on the 429 handling." } },
        { text: "I commented on TST-1: it is blocked on the 429 handling." }
      ])
      yield* Effect.gen(function* () {
        const pieces = yield* Ref.make<ReadonlyArray<string>>([])
        const result = yield* askQuestion("why is TST-1 stuck?", { _tag: "Ticket", ticketId: ticket1.id }, (text) =>
          Ref.update(pieces, (all) => [...all, text])
        )
        expect(result.kind).toBe("blocking")
        expect(result.answer).toBe("I commented on TST-1: it is blocked on the 429 handling.")
        expect((yield* Ref.get(pieces)).length).toBeGreaterThan(1)
        expect(result.toolCalls).toEqual([expect.objectContaining({ tool: "comment_on_ticket", failed: false })])
        expect((yield* tracker.log).comments).toEqual([{ id: ticket1.id, body: "Blocked on the 429 handling." }])
        const tags = (yield* (yield* EventStore).events({})).map((row) => row.event._tag)
        expect(tags).toEqual(["SupervisorQueryStarted", "SupervisorToolCalled", "SupervisorQueryChunk", "SupervisorQueryFinished"])
      }).pipe(Effect.provide(layer))
    })
  )

  it.effect("a tool error goes back to the model as the result, not out of the question", () =>
    Effect.gen(function* () {
      const { layer } = yield* world([{ tool: "get_ticket", params: { id: "test:404" } }, { text: "That ticket does not exist." }])
      const result = yield* askQuestion("tell me about test:404", { _tag: "Global" }, () => Effect.void).pipe(Effect.provide(layer))
      expect(result.toolCalls).toEqual([expect.objectContaining({ tool: "get_ticket", failed: true })])
      expect(result.toolCalls[0]?.result).toContain("no ticket test:404")
      expect(result.answer).toBe("That ticket does not exist.")
    })
  )

  it.effect("resolves --ticket by key from the store, refuses both flags and unknown keys", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      yield* store.append([new TicketSynced({ ticket: ticket1 })])
      expect(yield* resolveScope(Option.none(), Option.some("tst-1"))).toEqual({ _tag: "Ticket", ticketId: TicketId.make("test:1") })
      expect(yield* resolveScope(Option.none(), Option.none())).toEqual({ _tag: "Global" })
      const both = yield* Effect.flip(resolveScope(Option.some("s-1"), Option.some("TST-1")))
      expect(both.message).toContain("not both")
      const unknown = yield* Effect.flip(resolveScope(Option.none(), Option.some("ENG-9")))
      expect(unknown.message).toContain("orchestrator sync tickets")
      const noSession = yield* Effect.flip(resolveScope(Option.some("s-404"), Option.none()))
      expect(noSession.message).toContain("sessions list")
    }).pipe(Effect.provide(Layer.fresh(EventStoreTest)))
  )
})
