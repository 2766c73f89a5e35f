import { Console, Effect, Option } from "effect"
import { EventStore } from "../../services/EventStore.js"

/**
 * One `run` per store: the store's lease is held for as long as the scope lasts and given back when
 * it closes (a normal end, SIGINT or SIGTERM). A lease left by a crashed run is taken over, with a notice.
 */
export const holdStoreLease = Effect.gen(function* () {
  const store = yield* EventStore
  const taken = yield* Effect.acquireRelease(store.acquireLease, () => Effect.ignore(store.releaseLease))
  if (Option.isSome(taken.tookOverFrom)) {
    const old = taken.tookOverFrom.value
    yield* Console.error(
      `notice: took over the store's lease from pid ${old.pid} on ${old.host} (since ${new Date(old.since).toISOString()}), which is no longer running`
    )
  }
  return taken
})

/**
 * Runs `program` for as long as this run keeps the store's lease. On PostgreSQL the lease can be lost
 * (the connection dropped and another run took over meanwhile): the program then stops with
 * StoreLeaseLost, so that two runs never write the same store.
 */
export const whileLeaseHeld = <A, E, R>(program: Effect.Effect<A, E, R>) =>
  Effect.raceFirst(program, Effect.flatMap(EventStore, (store) => store.watchLease))
