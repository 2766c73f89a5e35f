import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { TicketSynced, TicketUnlisted } from "../../../src/domain/events.js"
import { DatabaseSettings } from "../../../src/domain/config.js"
import { type Ticket, TicketState } from "../../../src/domain/ticket.js"
import { openInboxStatement, ticketListOrder } from "../../../src/layers/eventStore/projectionOrder.js"
import { makeSqlite } from "../../../src/layers/eventStore/sqlite.js"
import { EventStoreLive } from "../../../src/layers/eventStore/SqliteEventStore.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { makeTicket, ticketId } from "../../support/sampleEvents.js"

const defaults = Schema.decodeUnknownSync(DatabaseSettings)({})
/** The store with its SqlClient, so a test can read plans and break rows. */
const StoreAndSql = () => Layer.provideMerge(EventStoreLive, makeSqlite(":memory:", { ...defaults, wal_enabled: false }))

const ticket = (n: number, priority: Ticket["priority"], state: string, provider: "local" | "linear" = "local") =>
  makeTicket({
    id: ticketId(n),
    identifier: `T-${n}`,
    title: `ticket ${n}`,
    provider,
    priority,
    state: new TicketState({ name: state, type: "started" }),
    updatedAt: 1000 + n
  })

const planOf = (statement: string, params: ReadonlyArray<string> = []) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(sql.unsafe<{ detail: string }>(`EXPLAIN QUERY PLAN ${statement}`, params), (rows) => rows.map((row) => row.detail).join("\n"))
  )

describe("projection reads", () => {
  it.effect("tickets page in list order, filter by state in any case and provider, and count what a page leaves out", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      yield* store.append(
        [ticket(1, 0, "Todo"), ticket(2, 3, "Todo"), ticket(3, 1, "In Progress"), ticket(4, 1, "Todo", "linear"), ticket(5, 2, "todo")].map(
          (t) => new TicketSynced({ ticket: t })
        )
      )
      yield* store.append([new TicketUnlisted({ ticketId: ticketId(2) })])
      const ids = (tickets: ReadonlyArray<{ readonly identifier: string }>) => tickets.map((t) => t.identifier)
      expect(ids(yield* store.tickets({}))).toEqual(["T-4", "T-3", "T-5", "T-1"])
      expect(ids(yield* store.tickets({ limit: 2 }))).toEqual(["T-4", "T-3"])
      expect(ids(yield* store.tickets({ state: "TODO" }))).toEqual(["T-4", "T-5", "T-1"])
      expect(ids(yield* store.tickets({ state: "todo", provider: "local", limit: 1 }))).toEqual(["T-5"])
      expect(ids(yield* store.tickets({ includeUnlisted: true, limit: 10 }))).toEqual(["T-4", "T-3", "T-5", "T-2", "T-1"])
      expect(yield* store.ticketCount({})).toBe(4)
      expect(yield* store.ticketCount({ state: "todo", provider: "local" })).toBe(2)
      expect(yield* store.ticketCount({ includeUnlisted: true })).toBe(5)
    }).pipe(Effect.provide(StoreAndSql()))
  )

  it.effect("a ticket row whose JSON no longer decodes is reported as StoreCorrupt, not skipped", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const sql = yield* SqlClient.SqlClient
      yield* store.append([new TicketSynced({ ticket: ticket(1, 1, "Todo") }), new TicketSynced({ ticket: ticket(2, 2, "Todo") })])
      expect((yield* store.tickets({})).length).toBe(2)
      yield* sql`UPDATE tickets SET data = '{"id": 7}' WHERE id = ${ticketId(2)}`
      const error = yield* Effect.flip(store.tickets({}))
      expect(error._tag).toBe("StoreCorrupt")
      expect(error.message).toContain("ticket")
      expect((yield* Effect.flip(store.ticket(ticketId(2))))._tag).toBe("StoreCorrupt")
      expect((yield* store.tickets({ limit: 1 })).map((t) => t.identifier)).toEqual(["T-1"])
    }).pipe(Effect.provide(StoreAndSql()))
  )

  it.effect("the tickets list and the open inbox walk an index instead of scanning and sorting", () =>
    Effect.gen(function* () {
      const listed = yield* planOf(`SELECT data FROM tickets WHERE listed = 1 ORDER BY ${ticketListOrder} LIMIT 100`)
      expect(listed).toContain("USING INDEX tickets_list")
      const ofProvider = yield* planOf(`SELECT data FROM tickets WHERE provider = ? AND listed = 1 ORDER BY ${ticketListOrder} LIMIT 100`, ["local"])
      expect(ofProvider).toContain("USING INDEX tickets_provider_list")
      const inbox = yield* planOf(openInboxStatement)
      expect(inbox).toContain("USING INDEX inbox_open")
      for (const plan of [listed, ofProvider, inbox]) expect(plan).not.toContain("TEMP B-TREE")
    }).pipe(Effect.provide(StoreAndSql()))
  )
})
