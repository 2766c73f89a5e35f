import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { TicketingError } from "../../../src/domain/errors.js"
import { makeTicketingTest } from "../../../src/layers/ticketing/Test.js"
import { ticketingContract } from "./contract.js"
import { seedAsTickets } from "./seedTickets.js"

ticketingContract("test", (seed) =>
  Effect.map(makeTicketingTest({ tickets: seedAsTickets("test", seed) }), (made) => made.service)
)

describe("Ticketing test Layer", () => {
  it.effect("logs comments and links, and can play a tracker that is down", () =>
    Effect.gen(function* () {
      const { log, service } = yield* makeTicketingTest({ tickets: seedAsTickets("test", [{ title: "a", description: "", state: "Todo" }]) })
      const [ticket] = yield* service.list({ assignedToMe: true, states: [], search: null, limit: 10 })
      if (ticket === undefined) return expect.fail("seeded ticket missing")
      yield* service.addComment(ticket.id, "hello")
      yield* service.attachLink(ticket.id, "https://x/pull/1", "PR")
      expect(yield* log).toEqual({ comments: [{ id: ticket.id, body: "hello" }], links: [{ id: ticket.id, url: "https://x/pull/1" }] })
      const down = new TicketingError({ provider: "test", operation: "list", detail: "down" })
      const broken = yield* makeTicketingTest({ listFailure: down })
      expect(yield* Effect.flip(broken.service.list({ assignedToMe: true, states: [], search: null, limit: 1 }))).toBe(down)
    }))
})
