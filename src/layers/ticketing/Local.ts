import { Clock, Effect, Layer, Option } from "effect"
import type { WorkflowStateMap } from "../../domain/config.js"
import { TicketingError } from "../../domain/errors.js"
import { TicketSynced, TrackerUpdated } from "../../domain/events.js"
import type { TicketId } from "../../domain/ids.js"
import { Ticket, TicketState } from "../../domain/ticket.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventStore } from "../../services/EventStore.js"
import { type NewTicket, Ticketing } from "../../services/Ticketing.js"
import { applyQuery } from "./ticketQuery.js"
import { freshTicket, mappedStateName, stateTypeFor } from "./ticketNaming.js"

/** Local tickets are TicketSynced events with provider "local": the store is the tracker. */

const failed = (operation: string) => (error: { readonly message: string }) =>
  new TicketingError({ provider: "local", operation, detail: error.message })

/** The store's sequence of local ticket numbers (`local:<n>`), taken in the transaction that records the ticket. */
export const localTicketSequence = "local_ticket"

/** One more than the highest local number in the store, unlisted ones included: the sequence never goes below it. */
export const nextLocalNumber = (tickets: ReadonlyArray<Ticket>): number =>
  tickets.reduce((highest, ticket) => {
    const n = Number(ticket.id.slice("local:".length))
    return Number.isInteger(n) && n > highest ? n : highest
  }, 0) + 1

export const makeLocal = (stateMap: typeof WorkflowStateMap.Type) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    // Read-then-append of one ticket's edits must not interleave inside this process.
    const writing = yield* Effect.makeSemaphore(1)

    const all = (operation: string) =>
      store.tickets({ provider: "local", includeUnlisted: true }).pipe(Effect.mapError(failed(operation)))

    const get = (id: TicketId) =>
      store.ticket(id).pipe(
        Effect.mapError(failed("get ticket")),
        Effect.flatMap(
          Option.match({
            onNone: () => Effect.fail(new TicketingError({ provider: "local", operation: "get ticket", detail: `no ticket ${id}` })),
            onSome: (ticket) =>
              ticket.provider === "local"
                ? Effect.succeed(ticket)
                : Effect.fail(new TicketingError({ provider: "local", operation: "get ticket", detail: `${id} is not a local ticket` }))
          })
        )
      )

    const save = (ticket: Ticket, operation: string) =>
      store.append([new TicketSynced({ ticket })]).pipe(Effect.mapError(failed(operation)), Effect.as(ticket))

    const change = (id: TicketId, operation: string, edit: (ticket: Ticket, now: number) => Ticket) =>
      writing.withPermits(1)(
        Effect.gen(function* () {
          const ticket = yield* get(id)
          const now = yield* Clock.currentTimeMillis
          return yield* save(edit(ticket, now), operation)
        })
      )

    const record = (id: TicketId, action: "comment" | "link", key: string, detail: string) =>
      Effect.flatMap(get(id), () =>
        store.append([new TrackerUpdated({ ticketId: id, workItemId: null, action, key, detail })]).pipe(
          Effect.mapError(failed(`add ${action}`)),
          Effect.asVoid
        )
      )

    // The number is allocated inside the append's transaction: adds in other processes never share it.
    const create = (fresh: NewTicket) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        // A ticket recorded some other way (an import, an old store) still raises the floor.
        const atLeast = nextLocalNumber(yield* all("create ticket"))
        const made = yield* store
          .appendNumbered(localTicketSequence, (n) => [new TicketSynced({ ticket: freshTicket("local", n, fresh, now) })], atLeast)
          .pipe(Effect.mapError(failed("create ticket")))
        return freshTicket("local", made.n, fresh, now)
      })

    return Ticketing.of({
      provider: "local",
      // Every local ticket is the person's own: `assignedToMe` narrows nothing.
      list: (query, onPage) =>
        store.tickets({ provider: "local" }).pipe(
          Effect.mapError(failed("list tickets")),
          Effect.map((tickets) => applyQuery(tickets, query)),
          Effect.tap((tickets) => (onPage === undefined ? Effect.void : onPage(tickets.length)))
        ),
      get,
      create,
      updateState: (id, state) =>
        Effect.flatMap(mappedStateName("local", stateMap, state), (name) =>
          change(id, "update state", (ticket, now) =>
            new Ticket({ ...ticket, state: new TicketState({ name, type: stateTypeFor(state) }), updatedAt: now })
          )
        ),
      updateDescription: (id, description) =>
        change(id, "update description", (ticket, now) => new Ticket({ ...ticket, description, updatedAt: now })).pipe(Effect.asVoid),
      addComment: (id, body) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => record(id, "comment", `comment:${now}`, body)),
      attachLink: (id, url, title) => record(id, "link", `link:${url}`, title),
      health: Effect.map(all("health check"), (tickets) => `local: ${tickets.length} ticket${tickets.length === 1 ? "" : "s"} in the store`)
    })
  })

export const LocalLive = Layer.effect(
  Ticketing,
  Effect.flatMap(AppConfig, (config) => makeLocal(config.settings.tracker.workflow_state_map))
)
