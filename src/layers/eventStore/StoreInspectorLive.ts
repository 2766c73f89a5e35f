import Database from "better-sqlite3"
import { Effect, Layer, Option, Schema } from "effect"
import { LeaseHolder } from "../../domain/storeErrors.js"
import type { DatabaseSettings } from "../../domain/config.js"
import { type ServerHealth, StoreInspector, type StoreHealth } from "../../services/StoreInspector.js"
import { databaseUrl } from "./databaseUrl.js"
import { RunnerFromDb } from "./rows.js"
import { latestMigrationId } from "./sessionsQuery.js"
import { inspectStoreFile, messageOf, quickCheck } from "./storeFile.js"

const decodeHolder = Schema.decodeUnknownOption(LeaseHolder)

/** The lease row, read through a read-only connection (a store older than the lease has none). */
const readLease = (path: string): Option.Option<LeaseHolder> => {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'store_lease'").get()
    return table === undefined ? Option.none() : decodeHolder(db.prepare("SELECT pid, host, since FROM store_lease WHERE id = 1").get())
  } finally {
    db.close()
  }
}


const inspect = (path: string): Effect.Effect<StoreHealth> =>
  inspectStoreFile(path).pipe(
    Effect.flatMap((file): Effect.Effect<StoreHealth> => {
      if (file._tag === "Missing") return Effect.succeed({ _tag: "Missing" })
      return Effect.sync(() => {
        let check: ReadonlyArray<string>
        try {
          check = quickCheck(path)
        } catch (error) {
          check = [messageOf(error)]
        }
        let lease: Option.Option<LeaseHolder> = Option.none()
        try {
          lease = readLease(path)
        } catch {
          // quick_check already says what is wrong with a file whose lease cannot be read.
        }
        return { _tag: "Present", version: file.version, knownVersion: latestMigrationId, readOnly: file.readOnly, check, lease }
      })
    }),
    Effect.catchAll((error) => Effect.succeed<StoreHealth>({ _tag: "Unusable", message: error.message }))
  )

const decodeRunners = Schema.decodeUnknown(Schema.Array(RunnerFromDb))

const inspectServer = (database: typeof DatabaseSettings.Type): Effect.Effect<ServerHealth> =>
  Effect.gen(function* () {
    const url = yield* databaseUrl(database)
    if (Option.isNone(url)) return { _tag: "None" } as const
    const { inspectPostgres } = yield* Effect.promise(() => import("./postgres/postgresStore.js"))
    const found = yield* inspectPostgres(url.value)
    const runners = yield* Effect.orElseSucceed(decodeRunners(found.runners), () => [])
    return {
      _tag: "Present",
      where: found.where,
      serverVersion: found.server,
      version: found.version,
      knownVersion: found.knownVersion,
      lease: Option.flatMap(Option.fromNullable(found.lease[0]), decodeHolder),
      runners
    } satisfies ServerHealth
  }).pipe(Effect.catchAll((error) => Effect.succeed<ServerHealth>({ _tag: "Unusable", message: error.message })))

export const StoreInspectorLive = Layer.succeed(StoreInspector, StoreInspector.of({ inspect, inspectServer }))
