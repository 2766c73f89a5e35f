import { Effect, Option } from "effect"
import type { TrackerSettings } from "../../domain/config.js"
import { TicketSyncCheckpoint } from "../../domain/events.js"
import type { Ticket, TicketProvider } from "../../domain/ticket.js"
import type { EventStore, StoreFailure } from "../../services/EventStore.js"
import type { TicketQuery } from "../../services/Ticketing.js"

/**
 * How far before the high-water mark an incremental sync starts asking. The mark is the newest
 * `updatedAt` the tracker itself sent, so this machine's clock never enters it (no skew); the overlap
 * covers a change the tracker committed late, stamped before a newer one we had already seen. Tickets
 * in the overlap come back again and compare unchanged: they cost no event.
 */
export const overlapMs = 5 * 60_000

/** What the listings answer: a different query (assignee, states) must start over with a full one. */
export const scopeOf = (query: TicketQuery): string =>
  JSON.stringify({ assignedToMe: query.assignedToMe, states: [...query.states].sort() })

/** The newest checkpoint, if it is this provider's and this scope's (any other means a full listing). */
export const lastCheckpoint = (
  store: EventStore["Type"],
  provider: TicketProvider,
  scope: string
): Effect.Effect<Option.Option<TicketSyncCheckpoint>, StoreFailure> =>
  Effect.map(store.events({ types: ["TicketSyncCheckpoint"], newestFirst: true, limit: 1 }), (rows) =>
    Option.flatMap(Option.fromNullable(rows[0]?.event), (event) =>
      event._tag === "TicketSyncCheckpoint" && event.provider === provider && event.scope === scope ? Option.some(event) : Option.none()
    )
  )

export type ListingPlan =
  | { readonly _tag: "full"; readonly reason: string }
  | { readonly _tag: "incremental"; readonly since: Date }

/**
 * Full when asked for, when no complete sync of this query is recorded, or when the last full listing
 * is `full_sync_every` sync intervals old (half an interval early, so the Nth periodic sync is the
 * full one whatever its jitter); otherwise only what changed since the mark, less the overlap.
 */
export const planListing = (
  checkpoint: Option.Option<TicketSyncCheckpoint>,
  settings: typeof TrackerSettings.Type,
  now: number,
  forced: boolean
): ListingPlan => {
  if (forced) return { _tag: "full", reason: "asked for" }
  if (Option.isNone(checkpoint) || checkpoint.value.highWater === null) return { _tag: "full", reason: "no complete sync yet" }
  const elapsed = now - checkpoint.value.fullAt
  const dueAfter = (settings.full_sync_every - 0.5) * settings.sync_interval_secs * 1000
  // A clock that went back cannot tell how old the last full listing is: list everything.
  if (settings.full_sync_every <= 1 || elapsed < 0 || elapsed >= dueAfter) return { _tag: "full", reason: "due" }
  return { _tag: "incremental", since: new Date(Math.max(0, checkpoint.value.highWater - overlapMs)) }
}

/** The checkpoint after a complete listing, or none when it would say what the last one says. */
export const nextCheckpoint = (
  previous: Option.Option<TicketSyncCheckpoint>,
  provider: TicketProvider,
  scope: string,
  fetched: ReadonlyArray<Ticket>,
  full: boolean,
  now: number
): Option.Option<TicketSyncCheckpoint> => {
  const before = Option.getOrUndefined(previous)
  const highWater = fetched.reduce<number | null>((max, t) => (max === null || t.updatedAt > max ? t.updatedAt : max), before?.highWater ?? null)
  const fullAt = full || before === undefined ? now : before.fullAt
  if (before !== undefined && before.highWater === highWater && before.fullAt === fullAt) return Option.none()
  return Option.some(new TicketSyncCheckpoint({ provider, scope, highWater, fullAt }))
}
