import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { DatabaseSettings } from "../../../src/domain/config.js"
import { TicketSyncCheckpoint, TicketSynced } from "../../../src/domain/events.js"
import { makeSqlite } from "../../../src/layers/eventStore/sqlite.js"
import { EventStoreLive } from "../../../src/layers/eventStore/SqliteEventStore.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { makeTicket, ticketId } from "../../support/sampleEvents.js"

const defaults = Schema.decodeUnknownSync(DatabaseSettings)({})
const StoreAndSql = () => Layer.provideMerge(EventStoreLive, makeSqlite(":memory:", { ...defaults, wal_enabled: false }))

describe("the newest event of a type", () => {
  it.effect("is found through the events_type index, however much history lies after it", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const sql = yield* SqlClient.SqlClient
      const checkpoint = new TicketSyncCheckpoint({ provider: "linear", scope: "s", highWater: 5, fullAt: 6 })
      yield* store.append([checkpoint])
      yield* store.append(Array.from({ length: 50 }, (_, n) => new TicketSynced({ ticket: makeTicket({ id: ticketId(n + 1), identifier: `T-${n + 1}`, title: "t" }) })))
      const [newest] = yield* store.events({ types: ["TicketSyncCheckpoint"], newestFirst: true, limit: 1 })
      expect(newest?.event).toEqual(checkpoint)
      const plan = (yield* sql.unsafe<{ detail: string }>(
        "EXPLAIN QUERY PLAN SELECT seq, at, payload FROM events WHERE type IN (?) ORDER BY seq DESC LIMIT 1",
        ["TicketSyncCheckpoint"]
      )).map((row) => row.detail).join("\n")
      expect(plan).toContain("USING INDEX events_type")
      expect(plan).not.toContain("TEMP B-TREE")
    }).pipe(Effect.provide(StoreAndSql())))
})
