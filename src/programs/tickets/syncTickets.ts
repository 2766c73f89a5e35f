import { Effect, Schema } from "effect"
import type { Settings } from "../../domain/config.js"
import { TicketSynced, TicketUnlisted } from "../../domain/events.js"
import { Ticket, type TicketProvider } from "../../domain/ticket.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventStore } from "../../services/EventStore.js"
import { type PageProgress, Ticketing, type TicketQuery } from "../../services/Ticketing.js"

export interface SyncReport {
  readonly provider: TicketProvider
  readonly fetched: number
  readonly new: number
  readonly updated: number
  readonly unchanged: number
  readonly noLongerVisible: number
  /** Events appended by this sync: 0 when nothing changed. */
  readonly events: number
}

/** What to fetch, from the configuration. Shortcut has no state list of its own: it takes my open stories. */
export const syncQuery = (settings: Settings, provider: TicketProvider): TicketQuery =>
  provider === "shortcut"
    ? { assignedToMe: settings.tracker.sync_assigned_to_me, states: [], search: null, limit: settings.shortcut.fetch_limit }
    : {
        assignedToMe: settings.tracker.sync_assigned_to_me,
        states: settings.tracker.sync_states,
        search: null,
        limit: settings.linear.fetch_limit
      }

const encodeTicket = Schema.encodeSync(Ticket)
/** Both sides go through the same schema, so key order matches and a string compare is exact. */
const fingerprint = (ticket: Ticket): string => JSON.stringify(encodeTicket(ticket))

/** The pure part: which events bring the store's projection in line with what the tracker listed. */
export const planSync = (
  fetched: ReadonlyArray<Ticket>,
  stored: ReadonlyArray<Ticket>,
  listed: ReadonlySet<string>
): { readonly events: ReadonlyArray<TicketSynced | TicketUnlisted>; readonly counts: Omit<SyncReport, "provider" | "events"> } => {
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
  const gone = [...listed].filter((id) => !seen.has(id))
  for (const id of gone) {
    const ticket = stored.find((t) => t.id === id)
    if (ticket !== undefined) events.push(new TicketUnlisted({ ticketId: ticket.id }))
  }
  return { events, counts: { fetched: seen.size, new: added, updated, unchanged, noLongerVisible: gone.length } }
}

/**
 * Fetches the provider's tickets and appends, in one transaction, an event per changed ticket and
 * per ticket no longer listed. A failed fetch writes nothing.
 */
export const syncTickets = (onPage?: PageProgress) =>
  Effect.gen(function* () {
    const tracker = yield* Ticketing
    const store = yield* EventStore
    const config = yield* AppConfig
    // The store is read while the tracker pages: the fetch is latency-bound, the read is CPU-bound.
    const [fetched, listed] = yield* Effect.all(
      [tracker.list(syncQuery(config.settings, tracker.provider), onPage), store.tickets({ provider: tracker.provider })],
      { concurrency: 2 }
    )
    const listedIds = new Set<string>(listed.map((t) => t.id))
    // Unlisted tickets matter only when one comes back: read them just then.
    const stored = fetched.every((t) => listedIds.has(t.id))
      ? listed
      : yield* store.tickets({ provider: tracker.provider, includeUnlisted: true })
    const plan = planSync(fetched, stored, listedIds)
    if (plan.events.length > 0) yield* store.append(plan.events)
    return { provider: tracker.provider, ...plan.counts, events: plan.events.length } satisfies SyncReport
  }).pipe(Effect.withSpan("syncTickets"))

export const describeSync = (report: SyncReport): string =>
  `${report.provider}: ${report.new} new, ${report.updated} updated, ${report.unchanged} unchanged, ` +
  `${report.noLongerVisible} no longer visible (${report.fetched} fetched)`
