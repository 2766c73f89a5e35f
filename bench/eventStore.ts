import { Effect, Layer } from "effect"
import Database from "better-sqlite3"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { performance } from "node:perf_hooks"
import { SessionEvent, SessionSpawned } from "../src/domain/events.js"
import type { DomainEvent } from "../src/domain/events.js"
import { eventStoreOnFile } from "../src/layers/eventStore/EventStoreTest.js"
import { EventStore } from "../src/services/EventStore.js"
import type { Figure } from "./figures.js"
import { sessionId } from "../test/support/sampleEvents.js"

const SESSIONS = 20
const BATCH = 256

const spawnAll = (): ReadonlyArray<DomainEvent> =>
  Array.from(
    { length: SESSIONS },
    (_, i) =>
      new SessionSpawned({ sessionId: sessionId(i), workItemId: null, ticketId: null, harness: "harness.codex", model: null, worktreePath: `/wt/${i}` })
  )

const workerEvent = (i: number): DomainEvent =>
  new SessionEvent({
    sessionId: sessionId(i % SESSIONS),
    event:
      i % 10 === 9
        ? { _tag: "CommandExecution", itemId: `cmd-${i}`, command: "npm test", cwd: "/wt", status: "completed", output: "ok\n", exitCode: 0 }
        : { _tag: "TextDelta", itemId: `msg-${Math.floor(i / 50)}`, text: `token ${i} ` }
  })

const timed = async (run: () => Promise<void>): Promise<number> => {
  const start = performance.now()
  await run()
  return (performance.now() - start) / 1000
}

/** Appends through the EventStore (projections included) on a WAL file, one by one and in batches. */
const storeAppend = async (dir: string, total: number, batch: number): Promise<number> => {
  const file = NodePath.join(dir, `store-${batch}.sqlite`)
  const events = Array.from({ length: total }, (_, i) => workerEvent(i))
  const program = Effect.gen(function* () {
    const store = yield* EventStore
    yield* store.append(spawnAll())
    const start = performance.now()
    for (let i = 0; i < events.length; i += batch) yield* store.append(events.slice(i, i + batch))
    return (performance.now() - start) / 1000
  })
  const seconds = await Effect.runPromise(program.pipe(Effect.provide(Layer.fresh(eventStoreOnFile(file)))))
  return total / seconds
}

/** The floor: the same rows through a prepared better-sqlite3 statement, same pragmas, same batches. */
const rawInserts = async (dir: string, total: number, batch: number): Promise<number> => {
  const db = new Database(NodePath.join(dir, `raw-${batch}.sqlite`))
  db.pragma("journal_mode = WAL")
  db.pragma("synchronous = NORMAL")
  db.exec(
    "CREATE TABLE events (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, type TEXT NOT NULL, ticket_id TEXT, work_item_id TEXT, session_id TEXT, payload TEXT NOT NULL, schema_version INTEGER NOT NULL)"
  )
  db.exec("CREATE INDEX events_session ON events (session_id, seq) WHERE session_id IS NOT NULL")
  const insert = db.prepare("INSERT INTO events VALUES (?, ?, ?, NULL, NULL, ?, ?, 1)")
  const rows = Array.from({ length: total }, (_, i) => {
    const event = workerEvent(i)
    return [i + 1, 1_700_000_000_000, event._tag, `ses-${i % SESSIONS}`, JSON.stringify(event)] as const
  })
  const write = db.transaction((slice: ReadonlyArray<(typeof rows)[number]>) => {
    for (const row of slice) insert.run(...row)
  })
  const seconds = await timed(async () => {
    for (let i = 0; i < rows.length; i += batch) write(rows.slice(i, i + batch))
  })
  db.close()
  return total / seconds
}

export const benchEventStore = async (): Promise<ReadonlyArray<Figure>> => {
  const dir = mkdtempSync(NodePath.join(tmpdir(), "orch-bench-store-"))
  try {
    const single = await storeAppend(dir, 5_000, 1)
    const batched = await storeAppend(dir, 100_000, BATCH)
    const rawSingle = await rawInserts(dir, 5_000, 1)
    const rawBatched = await rawInserts(dir, 100_000, BATCH)
    return [
      { label: "event store append, one event per transaction", value: Math.round(single), unit: "events/s" },
      { label: "raw better-sqlite3 insert, one row per transaction", value: Math.round(rawSingle), unit: "rows/s" },
      { label: `event store append, batches of ${BATCH}`, value: Math.round(batched), unit: "events/s" },
      { label: `raw better-sqlite3 insert, batches of ${BATCH}`, value: Math.round(rawBatched), unit: "rows/s" },
      { label: "batched append as a share of the raw floor", value: batched / rawBatched, unit: "×" }
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
