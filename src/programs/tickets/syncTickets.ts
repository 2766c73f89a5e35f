import { Clock, Effect, Option, Schema } from "effect"
import type { Settings } from "../../domain/config.js"
import { type TicketSyncCheckpoint, TicketSynced, TicketUnlisted } from "../../domain/events.js"
import { Ticket, type TicketProvider } from "../../domain/ticket.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventStore } from "../../services/EventStore.js"
import { type PageProgress, Ticketing, type TicketingFailure, type TicketQuery } from "../../services/Ticketing.js"
import { lastCheckpoint, nextCheckpoint, planListing, scopeOf } from "./syncCheckpoint.js"

export interface SyncReport {
  readonly provider: TicketProvider
  readonly fetched: number
  readonly new: number
  readonly updated: number
  readonly unchanged: number
  readonly noLongerVisible: number
  /** Events appended by this sync: 0 when nothing changed (a complete sync that moves the checkpoint adds it). */
  readonly events: number
  /** Whether the tracker listed every matching ticket; when not, no ticket was unlisted. */
  readonly complete: boolean
  /** Why the listing is incomplete (`[tracker] max_tickets` reached, the tracker's own bound); null when complete. */
  readonly incomplete: string | null
  /** Every matching ticket, or only those changed since `since` (ms) after an earlier complete sync. */
  readonly listing: "full" | "incremental"
  readonly since: number | null
}

/**
 * What to fetch, from the configuration: every match, in pages of `fetch_limit`, up to one more
 * than `[tracker] max_tickets` so that reaching the bound shows. Shortcut has no state list of its
 * own: it takes my open stories.
 */
export const syncQuery = (settings: Settings, provider: TicketProvider): TicketQuery => ({
  assignedToMe: settings.tracker.sync_assigned_to_me,
  states: provider === "shortcut" ? [] : settings.tracker.sync_states,
  search: null,
  limit: settings.tracker.max_tickets + 1
})

interface Listing {
  readonly tickets: ReadonlyArray<Ticket>
  readonly incomplete: string | null
}

/** The tracker's listing, cut at `max_tickets`; anything short of every match says why. */
const fetchListing = (tracker: Ticketing["Type"], query: TicketQuery, max: number, onPage?: PageProgress): Effect.Effect<Listing, TicketingFailure> =>
  tracker.list(query, onPage).pipe(
    Effect.map((tickets): Listing =>
      tickets.length > max
        ? { tickets: tickets.slice(0, max), incomplete: `stopped at [tracker] max_tickets = ${max}; more tickets match` }
        : { tickets, incomplete: null }
    ),
    Effect.catchTag("TicketListingIncomplete", (cut) => Effect.succeed({ tickets: cut.tickets.slice(0, max), incomplete: cut.detail }))
  )

const encodeTicket = Schema.encodeSync(Ticket)
/** Both sides go through the same schema, so key order matches and a string compare is exact. */
const fingerprint = (ticket: Ticket): string => JSON.stringify(encodeTicket(ticket))

/** The pure part: which events bring the store's projection in line with what the tracker listed. */
type SyncCounts = Omit<SyncReport, "provider" | "events" | "complete" | "incomplete" | "listing" | "since">

export const planSync = (
  fetched: ReadonlyArray<Ticket>,
  stored: ReadonlyArray<Ticket>,
  listed: ReadonlySet<string>,
  complete: boolean
): {
  readonly events: ReadonlyArray<TicketSynced | TicketUnlisted>
  readonly counts: SyncCounts
} => {
  const known = new Map(stored.map((ticket) => [ticket.id as string, fingerprint(ticket)]))
  const seen = new Set<string>()
  const events: Array<TicketSynced | TicketUnlisted> = []
  let added = 0
  let updated = 0
  let unchanged = 0
  for (const ticket of fetched) {
    // A tracker can list the same ticket twice across pages when it moves while we page.
    if (seen.has(ticket.id)) continue
    seen.add(ticket.id)
    const before = known.get(ticket.id)
    if (before === undefined) added++
    else if (before === fingerprint(ticket) && listed.has(ticket.id)) {
      unchanged++
      continue
    } else updated++
    events.push(new TicketSynced({ ticket }))
  }
  // Only a complete listing shows what is gone: a ticket beyond a cut may well be there still.
  const gone = complete ? [...listed].filter((id) => !seen.has(id)) : []
  for (const id of gone) {
    const ticket = stored.find((t) => t.id === id)
    if (ticket !== undefined) events.push(new TicketUnlisted({ ticketId: ticket.id }))
  }
  return { events, counts: { fetched: seen.size, new: added, updated, unchanged, noLongerVisible: gone.length } }
}

/** Whether a ticket is in the synced states (any case; none configured means every state). */
const inStates = (states: ReadonlyArray<string>) => {
  const wanted = new Set(states.map((name) => name.toLowerCase()))
  return (ticket: Ticket) => wanted.size === 0 || wanted.has(ticket.state.name.toLowerCase())
}

/**
 * An incremental listing asks without the state filter, so a ticket that moved out of the synced
 * states comes back: it is recorded in its new state and unlisted. One in scope is merged as in a full
 * sync; a ticket it does not mention is left as it is, never unlisted.
 */
export const planIncremental = (
  fetched: ReadonlyArray<Ticket>,
  stored: ReadonlyArray<Ticket>,
  listed: ReadonlySet<string>,
  states: ReadonlyArray<string>
): { readonly events: ReadonlyArray<TicketSynced | TicketUnlisted>; readonly counts: SyncCounts } => {
  const inScope = inStates(states)
  const plan = planSync(fetched.filter(inScope), stored, listed, false)
  const left = new Map(fetched.filter((t) => !inScope(t) && listed.has(t.id)).map((t) => [t.id, t] as const))
  const events = [...plan.events, ...[...left.values()].flatMap((t) => [new TicketSynced({ ticket: t }), new TicketUnlisted({ ticketId: t.id })])]
  const fetchedIds = new Set(fetched.map((t) => t.id))
  return { events, counts: { ...plan.counts, fetched: fetchedIds.size, noLongerVisible: left.size } }
}

/**
 * Fetches the provider's tickets and appends, in one transaction, an event per changed ticket and
 * per ticket no longer listed, and the checkpoint the next sync starts from. After a complete sync,
 * later ones ask only for what changed (`planListing`); every `full_sync_every`th lists everything
 * again, and only such a full listing unlists tickets it no longer shows. A failed fetch writes nothing.
 */
export const syncTickets = (onPage?: PageProgress, options: { readonly full?: boolean } = {}) =>
  Effect.gen(function* () {
    const tracker = yield* Ticketing
    const store = yield* EventStore
    const config = yield* AppConfig
    const provider = tracker.provider
    const query = syncQuery(config.settings, provider)
    const scope = scopeOf(query)
    const now = yield* Clock.currentTimeMillis
    const previous = yield* lastCheckpoint(store, provider, scope)
    const plan = planListing(previous, config.settings.tracker, now, options.full === true)
    const asked: TicketQuery = plan._tag === "full" ? query : { ...query, states: [], updatedSince: plan.since }
    // The store is read while the tracker pages: the fetch is latency-bound, the read is CPU-bound.
    const [listing, listed] = yield* Effect.all(
      [fetchListing(tracker, asked, config.settings.tracker.max_tickets, onPage), store.tickets({ provider })],
      { concurrency: 2 }
    )
    const fetched = listing.tickets
    const listedIds = new Set<string>(listed.map((t) => t.id))
    // Unlisted tickets matter only when one comes back (in the synced states): read them just then.
    const merging = plan._tag === "full" ? fetched : fetched.filter(inStates(query.states))
    const stored = merging.every((t) => listedIds.has(t.id)) ? listed : yield* store.tickets({ provider, includeUnlisted: true })
    const complete = listing.incomplete === null
    const merged =
      plan._tag === "full" ? planSync(fetched, stored, listedIds, complete) : planIncremental(fetched, stored, listedIds, query.states)
    // Only a complete listing moves the checkpoint: a cut one may have skipped older changes.
    const checkpoint: ReadonlyArray<TicketSyncCheckpoint> = complete
      ? Option.toArray(nextCheckpoint(previous, provider, scope, fetched, plan._tag === "full", now))
      : []
    const events = [...merged.events, ...checkpoint]
    if (events.length > 0) yield* store.append(events)
    return {
      provider,
      ...merged.counts,
      events: events.length,
      complete,
      incomplete: listing.incomplete,
      listing: plan._tag,
      since: plan._tag === "full" ? null : plan.since.getTime()
    } satisfies SyncReport
  }).pipe(Effect.withSpan("syncTickets"))

export const describeSync = (report: SyncReport): string =>
  `${report.provider}: ${report.new} new, ${report.updated} updated, ${report.unchanged} unchanged, ` +
  `${report.noLongerVisible} no longer visible (${report.fetched} fetched` +
  (report.since === null ? ")" : `, changed since ${new Date(report.since).toISOString()})`) +
  (report.incomplete === null ? "" : `; incomplete: ${report.incomplete}, so no ticket was marked no longer visible`)
