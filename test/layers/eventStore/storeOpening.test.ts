import { describe, expect, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect, Layer, Option, Schema } from "effect"
import { spawn } from "node:child_process"
import { createRequire } from "node:module"
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { DatabaseSettings } from "../../../src/domain/config.js"
import { TicketSynced } from "../../../src/domain/events.js"
import { eventStoreOnFile } from "../../../src/layers/eventStore/EventStoreTest.js"
import { latestMigrationId } from "../../../src/layers/eventStore/sessionsQuery.js"
import { makeSqlite, openingFor } from "../../../src/layers/eventStore/sqlite.js"
import { EventStoreLive } from "../../../src/layers/eventStore/SqliteEventStore.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { makeTicket, ticketId } from "../../support/sampleEvents.js"

const database = Schema.decodeUnknownSync(DatabaseSettings)({})
const require = createRequire(import.meta.url)

const withDir = <A, E, R>(use: (dir: string) => Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => mkdtempSync(NodePath.join(tmpdir(), "orch-open-"))),
    use,
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )

/** A store with one ticket, closed again. */
const storeWithTicket = (file: string) =>
  Effect.flatMap(EventStore, (store) =>
    store.append([new TicketSynced({ ticket: makeTicket({ id: ticketId(1), identifier: "LOCAL-1", title: "kept" }) })])
  ).pipe(Effect.provide(eventStoreOnFile(file)))

const markNewer = (file: string) => {
  const db = new Database(file)
  db.prepare("INSERT INTO effect_sql_migrations (migration_id, name) VALUES (?, 'from_the_future')").run(latestMigrationId + 1)
  db.close()
}

const readTickets = (file: string, use: "read" | "write") =>
  Effect.gen(function* () {
    const opening = yield* openingFor(file, use)
    const tickets = yield* Effect.flatMap(EventStore, (store) => store.tickets({})).pipe(
      Effect.provide(EventStoreLive.pipe(Layer.provide(makeSqlite(file, database, opening))))
    )
    return { opening, titles: tickets.map((t) => t.title) }
  })

describe("opening the store", () => {
  it.effect("a store made by a newer orchestrator is never written: writers are refused, readers read it with a warning", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const file = NodePath.join(dir, "events.sqlite")
        yield* storeWithTicket(file)
        markNewer(file)
        const before = readFileSync(file)
        const refused = yield* Effect.flip(openingFor(file, "write"))
        expect(refused.message).toBe(
          `event store ${file} was made by a newer orchestrator (store version ${latestMigrationId + 1}, this build knows up to ${latestMigrationId}): nothing was written; upgrade orchestrator, or set event_store_path to another store`
        )
        const read = yield* readTickets(file, "read")
        expect(read.titles).toEqual(["kept"])
        expect(read.opening.readOnly).toBe(true)
        expect(Option.getOrNull(read.opening.warning)).toContain("made by a newer orchestrator")
        expect(readFileSync(file).equals(before)).toBe(true)
      })
    )
  )

  it.effect("a file that is not a database gets one line with its path and what to do, from either kind of command", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const file = NodePath.join(dir, "events.sqlite")
        writeFileSync(file, "this is not a database, just some text long enough to fill a header ".repeat(3))
        for (const use of ["read", "write"] as const) {
          const error = yield* Effect.flip(openingFor(file, use))
          expect(error._tag).toBe("StoreUnusable")
          expect(error.message).toContain(`event store ${file} is not an orchestrator store (not a SQLite database, or damaged)`)
          expect(error.message).toContain(`mv "${file}" "${file}.broken"`)
        }
      })
    )
  )

  it.effect("a directory in place of the file, and a file in place of its directory, are named", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const asDir = NodePath.join(dir, "events.sqlite")
        mkdirSync(asDir)
        expect((yield* Effect.flip(openingFor(asDir, "read"))).message).toContain(`event store ${asDir} is a directory, not a store file`)
        const blocker = NodePath.join(dir, "data")
        writeFileSync(blocker, "")
        const under = NodePath.join(blocker, "deeper", "events.sqlite")
        expect((yield* Effect.flip(openingFor(under, "write"))).message).toContain(`cannot be created: ${blocker} is a file, not a directory`)
        // A missing directory is simply made.
        const fresh = NodePath.join(dir, "new", "dir", "events.sqlite")
        expect((yield* readTickets(fresh, "write")).titles).toEqual([])
      })
    )
  )

  // Two commands on a fresh HOME: the first migrates, the second must wait for it rather than run on without tables.
  it.live("a store another process is still migrating is waited for, within busy_timeout_ms", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const file = NodePath.join(dir, "events.sqlite")
        const holder = spawn(
          process.execPath,
          [
            "-e",
            `const D = require(${JSON.stringify(require.resolve("better-sqlite3"))})
             const db = new D(${JSON.stringify(file)}); db.pragma("journal_mode = WAL")
             db.exec("CREATE TABLE effect_sql_migrations (migration_id integer PRIMARY KEY NOT NULL, created_at datetime NOT NULL DEFAULT current_timestamp, name VARCHAR(255) NOT NULL)")
             db.exec("BEGIN IMMEDIATE"); db.exec("INSERT INTO effect_sql_migrations (migration_id, name) VALUES (1, 'events')")
             console.log("locked"); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 700); db.exec("ROLLBACK"); db.close()`
          ],
          { stdio: ["ignore", "pipe", "inherit"] }
        )
        yield* Effect.async<void>((resume) => {
          holder.stdout.once("data", () => resume(Effect.void))
        })
        const read = yield* readTickets(file, "write")
        expect(read.titles).toEqual([])
        yield* Effect.async<void>((resume) => {
          if (holder.exitCode !== null) resume(Effect.void)
          else holder.once("exit", () => resume(Effect.void))
        })
      })
    )
  )

  // The mode is read, not only access(2): under root, where access says yes, a 0444 store is still read-only.
  it.effect("a read-only (0444) store: reading commands read it, writing ones are told what to do", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const file = NodePath.join(dir, "events.sqlite")
        yield* storeWithTicket(file)
        chmodSync(file, 0o444)
        const refused = yield* Effect.flip(openingFor(file, "write"))
        expect(refused.message).toContain(`event store ${file} is read-only: make it and its directory writable (chmod u+w "${file}")`)
        const read = yield* readTickets(file, "read")
        expect(read).toMatchObject({ titles: ["kept"], opening: { readOnly: true } })
      })
    )
  )
})
