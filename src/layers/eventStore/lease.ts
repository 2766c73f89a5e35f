import type { SqlClient } from "@effect/sql"
import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import { Clock, Duration, Effect, Either, ExecutionStrategy, Exit, Option, Schedule, Schema, Scope } from "effect"
import { randomUUID } from "node:crypto"
import { readFileSync } from "node:fs"
import { hostname } from "node:os"
import type { StoreError } from "../../domain/errors.js"
import { LeaseHolder, StoreLeased, StoreLeaseLost } from "../../domain/storeErrors.js"
import type { LeaseTaken } from "../../services/EventStore.js"
import { inTransaction } from "./transaction.js"

/** A killed process not yet reaped by its parent still answers signal 0: Linux shows it as state Z. */
const isZombie = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")
  } catch {
    return false
  }
}

/** A process of this host is gone when signal 0 cannot find it (EPERM means it runs as another user) or it is a zombie. */
export const processIsGone = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return isZombie(pid)
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "ESRCH"
  }
}

const LeaseRow = Schema.Struct({ ...LeaseHolder.fields, token: Schema.String })
const decodeLease = Schema.decodeUnknownOption(Schema.Array(LeaseRow))

/** The advisory lock that is the lease on PostgreSQL (a fixed key: one lease per database). */
const LEASE_LOCK_KEY = 7_370_104_201

/** How often a PostgreSQL lease checks its connection, and how long a check may take before the connection counts as lost. */
const LEASE_CHECK_EVERY = Duration.seconds(3)
const LEASE_CHECK_TIMEOUT = Duration.seconds(5)

/**
 * The store's lease lives in the store (table store_lease): taken and checked in one write
 * transaction, so two runs starting at once cannot both see it free, and it goes wherever the file goes.
 *
 * On PostgreSQL the holder may be on another machine, where its pid says nothing: there the lease is
 * also a session advisory lock, on a connection held for the store's life (`scope`). The server lets
 * it go the moment the holder's connection drops (kill -9, a lost machine), so the next run takes over.
 */
export const makeLease = (sql: SqlClient.SqlClient, storeError: (operation: string) => (error: SqlError) => StoreError, scope: Scope.Scope) => {
  // One token per store handle: the release removes our row only, never a successor's.
  const token = randomUUID()
  const host = hostname()
  /** PostgreSQL: the connection the advisory lock lives on, in a scope of its own so a dead one can go. */
  let lock: { readonly connection: Connection; readonly scope: Scope.CloseableScope } | undefined

  const lockConnection = Effect.suspend(() =>
    lock !== undefined
      ? Effect.succeed(lock.connection)
      : Effect.gen(function* () {
          const own = yield* Scope.fork(scope, ExecutionStrategy.sequential)
          const connection = yield* Effect.onError(Scope.extend(sql.reserve, own), () => Scope.close(own, Exit.void))
          lock = { connection, scope: own }
          return connection
        })
  )
  /** Gives the lock's connection back to the pool (a dead one is dropped there). */
  const dropLockConnection = Effect.suspend(() => {
    const held = lock
    lock = undefined
    return held === undefined ? Effect.void : Scope.close(held.scope, Exit.void)
  })
  const tryLock = (connection: Connection) =>
    Effect.map(connection.execute(`SELECT pg_try_advisory_lock(${LEASE_LOCK_KEY}) AS taken`, [], undefined), (rows) => rows[0]?.taken === true)

  /** PostgreSQL: whether this process holds (now or already) the lease's advisory lock; undefined elsewhere. */
  const advisory: Effect.Effect<boolean | undefined, SqlError> = sql.onDialectOrElse({
    pg: () => Effect.flatMap(lockConnection, tryLock).pipe(Effect.tapError(() => dropLockConnection)),
    orElse: () => Effect.succeed(undefined)
  })

  /** Where the store is, for the refusal's words (never a PostgreSQL URL: it may hold a password). */
  const storePath = sql.onDialectOrElse({
    pg: () => Effect.map(sql<{ db: string }>`SELECT current_database() AS db`, (rows) => `PostgreSQL database ${rows[0]?.db ?? "?"}`),
    orElse: () => Effect.map(sql<{ file: string }>`PRAGMA database_list`, (rows) => rows[0]?.file || ":memory:")
  })

  const readHolder = Effect.map(sql`SELECT pid, host, since, token FROM store_lease WHERE id = 1`, (rows) =>
    Option.flatMap(decodeLease(rows), (found) => Option.fromNullable(found[0]))
  )
  const holderOf = (row: typeof LeaseRow.Type): LeaseHolder => ({ pid: row.pid, host: row.host, since: row.since })

  /** `locked`: the advisory lock's answer on PostgreSQL, undefined on SQLite. */
  const takeRow = (locked: boolean | undefined) => Effect.gen(function* () {
    if (locked === false) {
      // Someone's connection holds the lock: that run is alive, whatever the row says (it may be mid-release).
      const found = yield* readHolder
      const holder: LeaseHolder = Option.match(found, { onNone: () => ({ pid: 0, host: "another machine", since: 0 }), onSome: holderOf })
      return yield* new StoreLeased({ path: yield* storePath, holder })
    }
    const since = yield* Clock.currentTimeMillis
    const mine: LeaseHolder = { pid: process.pid, host, since }
    // The insert comes first so the transaction holds SQLite's write lock before it reads.
    const inserted = yield* sql`INSERT INTO store_lease (id, pid, host, since, token)
      VALUES (1, ${mine.pid}, ${host}, ${since}, ${token}) ON CONFLICT (id) DO NOTHING RETURNING token`
    if (inserted.length > 0) return { holder: mine, tookOverFrom: Option.none() }
    const found = yield* readHolder
    if (Option.isNone(found)) return yield* Effect.dieMessage("store_lease: the row that refused the insert is not there")
    const holder = holderOf(found.value)
    // With the advisory lock in hand the row's holder is gone, wherever it ran; without it, someone holds it.
    const gone = locked ?? (holder.host === host && holder.pid !== process.pid && processIsGone(holder.pid))
    if (!gone) return yield* new StoreLeased({ path: yield* storePath, holder })
    yield* sql`UPDATE store_lease SET pid = ${mine.pid}, host = ${host}, since = ${since}, token = ${token} WHERE id = 1`
    return { holder: mine, tookOverFrom: Option.some(holder) }
  }).pipe(inTransaction(sql))

  const acquireLease: Effect.Effect<LeaseTaken, StoreLeased | StoreError> = Effect.flatMap(advisory, takeRow).pipe(
    Effect.catchTag("SqlError", (error) => Effect.fail(storeError("take the store's lease")(error)))
  )

  const unlock = Effect.suspend(() =>
    lock === undefined ? Effect.void : lock.connection.execute(`SELECT pg_advisory_unlock(${LEASE_LOCK_KEY})`, [], undefined)
  )
  const releaseLease = sql`DELETE FROM store_lease WHERE token = ${token}`.pipe(
    Effect.zipRight(unlock),
    Effect.asVoid,
    Effect.mapError(storeError("release the store's lease"))
  )

  /**
   * One beat of a held PostgreSQL lease. While the lock's connection answers, the lock is ours. When
   * it does not (the server restarted, the network dropped), the server has let the lock go: it is
   * taken again on a new connection, and the lease is still ours if the row still carries our token.
   * If another run took it meanwhile, the lease is lost. A server still away is tried again next beat.
   */
  const keepBeat: Effect.Effect<void, StoreLeaseLost | SqlError> = Effect.gen(function* () {
    if (lock !== undefined) {
      const alive = yield* Effect.either(lock.connection.execute("SELECT 1", [], undefined).pipe(Effect.timeout(LEASE_CHECK_TIMEOUT)))
      if (Either.isRight(alive)) return
      yield* dropLockConnection
    }
    const locked = yield* advisory
    const row = yield* readHolder
    if (locked === true && Option.isSome(row) && row.value.token === token) {
      yield* Effect.logWarning("the store's connection to PostgreSQL dropped; the lease is held again on a new connection")
      return
    }
    if (locked === true) yield* Effect.ignore(unlock)
    yield* dropLockConnection
    const holder: LeaseHolder = Option.match(row, { onNone: () => ({ pid: 0, host: "nobody (the lease was given back)", since: 0 }), onSome: holderOf })
    return yield* new StoreLeaseLost({ path: yield* storePath, holder })
  })

  /** Never completes while this process holds the lease; fails once another run has taken it. */
  const watchLease: Effect.Effect<never, StoreLeaseLost> = sql.onDialectOrElse({
    pg: () =>
      keepBeat.pipe(
        Effect.catchTag("SqlError", () => Effect.void),
        Effect.repeat(Schedule.spaced(LEASE_CHECK_EVERY)),
        Effect.zipRight(Effect.never)
      ),
    // A SQLite file's lease is a row no other process can take while this one runs.
    orElse: () => Effect.never
  })

  return { acquireLease, releaseLease, watchLease }
}
