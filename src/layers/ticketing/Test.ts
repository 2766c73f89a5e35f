import { Clock, Effect, Layer, Option, Ref } from "effect"
import { defaultWorkflowStateMap } from "../../domain/config.js"
import { TicketingError } from "../../domain/errors.js"
import type { TicketId } from "../../domain/ids.js"
import { Ticket, TicketState } from "../../domain/ticket.js"
import { type TicketingFailure, Ticketing } from "../../services/Ticketing.js"
import { applyQuery } from "./ticketQuery.js"
import { freshTicket, mappedStateName, stateTypeFor } from "./ticketNaming.js"

export interface TicketingTestOptions {
  readonly tickets?: ReadonlyArray<Ticket>
  /** When set, `list` fails with it: a tracker that is down. */
  readonly listFailure?: TicketingFailure
}

/** What the test double was asked to do on the tracker, for assertions. */
export interface TrackerLog {
  readonly comments: ReadonlyArray<{ readonly id: TicketId; readonly body: string }>
  readonly links: ReadonlyArray<{ readonly id: TicketId; readonly url: string }>
}

/** An in-memory tracker with provider "test"; `log` shows comments and links it received. */
export const makeTicketingTest = (options: TicketingTestOptions = {}) =>
  Effect.gen(function* () {
    const tickets = yield* Ref.make(new Map((options.tickets ?? []).map((t) => [t.id, t] as const)))
    const log = yield* Ref.make<TrackerLog>({ comments: [], links: [] })
    const missing = (operation: string, id: TicketId) => new TicketingError({ provider: "test", operation, detail: `no ticket ${id}` })

    const get = (id: TicketId, operation = "get ticket") =>
      Effect.flatMap(Ref.get(tickets), (map) =>
        Option.match(Option.fromNullable(map.get(id)), { onNone: () => Effect.fail(missing(operation, id)), onSome: Effect.succeed })
      )

    const change = (id: TicketId, operation: string, edit: (ticket: Ticket, now: number) => Ticket) =>
      Effect.gen(function* () {
        const updated = edit(yield* get(id, operation), yield* Clock.currentTimeMillis)
        yield* Ref.update(tickets, (map) => new Map(map).set(id, updated))
        return updated
      })

    const service = Ticketing.of({
      provider: "test",
      list: (query, onPage) =>
        options.listFailure !== undefined
          ? Effect.fail(options.listFailure)
          : Ref.get(tickets).pipe(
              Effect.map((map) => applyQuery([...map.values()], query)),
              Effect.tap((found) => (onPage === undefined ? Effect.void : onPage(found.length)))
            ),
      get: (id) => get(id),
      create: (fresh) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const n = (yield* Ref.get(tickets)).size + 1
          const ticket = freshTicket("test", n, fresh, now)
          yield* Ref.update(tickets, (map) => new Map(map).set(ticket.id, ticket))
          return ticket
        }),
      updateState: (id, state) =>
        Effect.flatMap(mappedStateName("test", defaultWorkflowStateMap, state), (name) =>
          change(id, "update state", (t, now) => new Ticket({ ...t, state: new TicketState({ name, type: stateTypeFor(state) }), updatedAt: now }))
        ),
      updateDescription: (id, description) =>
        Effect.asVoid(change(id, "update description", (t, now) => new Ticket({ ...t, description, updatedAt: now }))),
      addComment: (id, body) =>
        Effect.zipRight(get(id, "add comment"), Ref.update(log, (l) => ({ ...l, comments: [...l.comments, { id, body }] }))),
      attachLink: (id, url) =>
        Effect.zipRight(get(id, "attach link"), Ref.update(log, (l) => ({ ...l, links: [...l.links, { id, url }] }))),
      health: Effect.succeed("test: in-memory tracker")
    })
    return { service, log: Ref.get(log) }
  })

export const TicketingTest = (options: TicketingTestOptions = {}) =>
  Layer.effect(Ticketing, Effect.map(makeTicketingTest(options), (made) => made.service))
