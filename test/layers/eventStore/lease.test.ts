import { describe, expect, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect, Layer, Option } from "effect"
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { hostname, tmpdir } from "node:os"
import * as NodePath from "node:path"
import { eventStoreOnFile } from "../../../src/layers/eventStore/EventStoreTest.js"
import { EventStore } from "../../../src/services/EventStore.js"

const withStoreFile = <A, E, R>(use: (file: string) => Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => mkdtempSync(NodePath.join(tmpdir(), "orch-lease-"))),
    (dir) => use(NodePath.join(dir, "events.sqlite")),
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )

/** A store handle of its own on the file, as another process would have. */
const handle = (file: string) => Effect.flatMap(Layer.build(eventStoreOnFile(file)), (context) => Effect.provide(EventStore, context))

/** The pid of a process that has ended (and been reaped). */
const deadPid = () => spawnSync(process.execPath, ["-e", "0"]).pid

const writeLease = (file: string, pid: number, host: string) => {
  const db = new Database(file)
  db.prepare("INSERT OR REPLACE INTO store_lease (id, pid, host, since, token) VALUES (1, ?, ?, ?, 'old')").run(pid, host, 1_700_000_000_000)
  db.close()
}

const leaseRows = (file: string) => {
  const db = new Database(file, { readonly: true })
  const rows = db.prepare("SELECT pid, host FROM store_lease").all()
  db.close()
  return rows
}

describe("the store's lease", () => {
  it.scoped("one holder at a time: a second handle is refused with the holder's pid, host and start; after release it is free", () =>
    withStoreFile((file) =>
      Effect.gen(function* () {
        const first = yield* handle(file)
        const second = yield* handle(file)
        const taken = yield* first.acquireLease
        expect(taken.holder).toMatchObject({ pid: process.pid, host: hostname() })
        expect(Option.isNone(taken.tookOverFrom)).toBe(true)
        const refused = yield* Effect.flip(second.acquireLease)
        expect(refused._tag).toBe("StoreLeased")
        expect(refused.message).toContain(`is in use by another run (pid ${process.pid} on ${hostname()}, since ${new Date(taken.holder.since).toISOString()})`)
        expect(refused.message).toContain(file)
        // The refused handle's release must not free the holder's lease.
        yield* second.releaseLease
        expect(leaseRows(file)).toEqual([{ pid: process.pid, host: hostname() }])
        yield* first.releaseLease
        expect(leaseRows(file)).toEqual([])
        yield* second.acquireLease
      })
    )
  )

  it.scoped("a lease of a dead process on this host is taken over; one of another host never", () =>
    withStoreFile((file) =>
      Effect.gen(function* () {
        const store = yield* handle(file)
        const dead = deadPid()
        writeLease(file, dead, hostname())
        const taken = yield* store.acquireLease
        expect(Option.getOrNull(taken.tookOverFrom)).toEqual({ pid: dead, host: hostname(), since: 1_700_000_000_000 })
        expect(leaseRows(file)).toEqual([{ pid: process.pid, host: hostname() }])
        yield* store.releaseLease

        writeLease(file, dead, "elsewhere.example")
        const refused = yield* Effect.flip(store.acquireLease)
        expect(refused.message).toContain(`pid ${dead} on elsewhere.example`)
      })
    )
  )
})
