import { Duration, Effect, Stream, SubscriptionRef } from "effect"
import { isTerminalSessionState } from "../../domain/session.js"
import { EventStore } from "../../services/EventStore.js"
import { type SessionTally, tallyEvents } from "./tally.js"

export interface FeedOptions {
  /** How often the store is asked for events past the last one seen. */
  readonly pollEvery: Duration.DurationInput
  /** Events read per store query. */
  readonly page: number
}

export const defaultFeedOptions: FeedOptions = { pollEvery: Duration.millis(40), page: 2000 }

export interface Feed {
  /** The newest store sequence seen; every stream waits on its changes. */
  readonly lastSeq: SubscriptionRef.SubscriptionRef<number>
  /** Waits until the store holds an event after `seq`, or `timeout` passed; answers the newest sequence. */
  readonly waitPast: (seq: number, timeout: Duration.DurationInput) => Effect.Effect<number>
  readonly tally: (sessionId: string) => SessionTally | undefined
  readonly tallies: () => ReadonlyMap<string, SessionTally>
}

/** Events of each earlier live session read back to find its turn count and tokens. */
const LOOKBACK = 500

/**
 * One reader of the store for the whole web server: it follows the sequence (what the event
 * streams wait on) and keeps per-session tallies. It only reads, so no client can hold up the
 * engine; each stream reads its own events from the store at its own pace.
 */
export const startFeed = (options: FeedOptions) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const start = yield* store.lastSeq
    const lastSeq = yield* SubscriptionRef.make(start)
    const tallies = new Map<string, SessionTally>()
    for (const row of yield* store.sessions({})) {
      if (isTerminalSessionState(row.state)) continue
      const history = yield* store.events({ sessionId: row.id, types: ["SessionEvent"], newestFirst: true, limit: LOOKBACK })
      tallyEvents(tallies, [...history].reverse())
    }
    let cursor = start
    const follow = Effect.gen(function* () {
      for (;;) {
        const events = yield* store.events({ afterSeq: cursor, limit: options.page })
        if (events.length === 0) break
        tallyEvents(tallies, events)
        cursor = events[events.length - 1]?.seq ?? cursor
        if (events.length < options.page) break
      }
      yield* SubscriptionRef.set(lastSeq, cursor)
    }).pipe(Effect.catchAllCause((cause) => Effect.logDebug("web feed: could not read the store", cause)))
    yield* follow.pipe(Effect.zipRight(Effect.sleep(options.pollEvery)), Effect.forever, Effect.forkScoped)

    const waitPast = (seq: number, timeout: Duration.DurationInput) =>
      lastSeq.changes.pipe(
        Stream.filter((n) => n > seq),
        Stream.runHead,
        Effect.timeout(timeout),
        Effect.flatMap(() => SubscriptionRef.get(lastSeq)),
        Effect.orElse(() => SubscriptionRef.get(lastSeq))
      )
    return {
      lastSeq,
      waitPast,
      tally: (sessionId: string) => tallies.get(sessionId),
      tallies: () => tallies
    } satisfies Feed
  })
