import { Duration, Effect, Stream, SubscriptionRef } from "effect"
import type { StoredEvent } from "../../domain/events.js"
import { isTerminalSessionState } from "../../domain/session.js"
import { EventBus } from "../../services/EventBus.js"
import { EventStore } from "../../services/EventStore.js"
import { type SessionTally, tallyEvents } from "./tally.js"

export interface FeedOptions {
  /** How often the store's newest sequence is read. */
  readonly pollEvery: Duration.DurationInput
}

export const defaultFeedOptions: FeedOptions = { pollEvery: Duration.millis(40) }

export interface Feed {
  /** The newest store sequence seen; every stream waits on its changes. */
  readonly lastSeq: SubscriptionRef.SubscriptionRef<number>
  /** Waits until the store holds an event after `seq`, or `timeout` passed; answers the newest sequence. */
  readonly waitPast: (seq: number, timeout: Duration.DurationInput) => Effect.Effect<number>
  readonly tally: (sessionId: string) => SessionTally | undefined
  readonly tallies: () => ReadonlyMap<string, SessionTally>
}

/** Events of each earlier live session read back (once) to find its turn count and tokens. */
const LOOKBACK = 500
/** The worker events a tally counts: turn boundaries and whole messages, a few per turn. */
const tallied = new Set(["TurnStarted", "TurnCompleted", "Message"])

/**
 * One follower of the store for the whole web server: it reads the newest sequence (what the event
 * streams wait on) and keeps per-session tallies from the bus, which hands it only turn boundaries
 * and messages (deltas are refused at publish for the cost of one comparison). It never holds up
 * the engine; each stream reads its own events from the store at its client's pace.
 */
export const startFeed = (options: FeedOptions) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const bus = yield* EventBus
    const clock = yield* Effect.clock
    const start = yield* store.lastSeq
    const lastSeq = yield* SubscriptionRef.make(start)
    const tallies = new Map<string, SessionTally>()
    // Subscribed before the look back, so no turn is missed between the two.
    const subscription = yield* bus.subscribe({
      name: "web",
      policy: "latest",
      capacity: 256,
      filter: (item) => item.event._tag === "SessionEvent" && tallied.has(item.event.event._tag)
    })
    for (const row of yield* store.sessions({})) {
      if (isTerminalSessionState(row.state)) continue
      const history = yield* store.events({ sessionId: row.id, types: ["SessionEvent"], newestFirst: true, limit: LOOKBACK })
      tallyEvents(tallies, [...history].reverse())
    }
    yield* subscription.take(256).pipe(
      Effect.flatMap((deliveries) =>
        Effect.map(clock.currentTimeMillis, (at) => {
          const events: Array<StoredEvent> = []
          for (const delivery of deliveries) if (delivery._tag === "Event") events.push({ seq: 0, at, event: delivery.envelope.event })
          tallyEvents(tallies, events)
        })
      ),
      Effect.forever,
      Effect.forkScoped
    )
    const follow = Effect.flatMap(store.lastSeq, (seq) => SubscriptionRef.set(lastSeq, seq)).pipe(
      Effect.catchAllCause((cause) => Effect.logDebug("web feed: could not read the store", cause))
    )
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
