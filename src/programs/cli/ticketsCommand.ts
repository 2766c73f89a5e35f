import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option, Schema } from "effect"
import { Ticket, TicketProvider } from "../../domain/ticket.js"
import { makeLocal } from "../../layers/ticketing/Local.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventStore, type TicketFilter } from "../../services/EventStore.js"
import { ReadStoreFromFlags, StoreFromFlags } from "./globals.js"
import { clip, renderTable } from "./table.js"
import { terminalJson } from "../../domain/terminalText.js"

const encodeTicket = Schema.encodeSync(Ticket)

const DEFAULT_LIMIT = 100

const listOptions = {
  json: Options.boolean("json").pipe(Options.withDescription("print JSON instead of a table")),
  limit: Options.integer("limit").pipe(
    Options.withSchema(Schema.Int.pipe(Schema.positive({ message: () => "--limit must be a whole number above 0" }))),
    Options.withDescription(`at most this many tickets, the first in list order (default ${DEFAULT_LIMIT})`),
    Options.withDefault(DEFAULT_LIMIT)
  ),
  all: Options.boolean("all").pipe(Options.withDescription("every ticket, whatever --limit says")),
  state: Options.text("state").pipe(Options.withDescription("only tickets in this tracker state (any case)"), Options.optional),
  provider: Options.choice("provider", TicketProvider.literals).pipe(Options.withDescription("only this provider's tickets"), Options.optional)
}

const list = Command.make("list", listOptions, ({ all, json, limit, provider, state }) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const filter: Omit<TicketFilter, "limit"> = {
      ...Option.match(state, { onNone: () => ({}), onSome: (name) => ({ state: name }) }),
      ...Option.match(provider, { onNone: () => ({}), onSome: (id) => ({ provider: id }) })
    }
    const tickets = yield* store.tickets(all ? filter : { ...filter, limit })
    // Counting is needed only when the page is full: a shorter page is everything there is.
    const total = !all && tickets.length === limit ? yield* store.ticketCount(filter) : tickets.length
    const truncated =
      total > tickets.length ? `showing ${tickets.length} of ${total} tickets (--all for every one, --limit N for more)` : undefined
    if (json) {
      yield* Console.log(terminalJson(tickets.map((t) => encodeTicket(t))))
      // stdout stays one JSON document; the note goes to stderr.
      if (truncated !== undefined) yield* Console.error(truncated)
      return
    }
    yield* Console.log(
      renderTable(
        ["TICKET", "PROVIDER", "STATE", "PROJECT", "TITLE"],
        tickets.map((t) => [t.identifier, t.provider, t.state.name, t.project ?? t.team ?? "-", clip(t.title.replace(/\s+/g, " "), 60)])
      )
    )
    if (truncated !== undefined) yield* Console.log(truncated)
    if (tickets.length === 0) {
      yield* Console.log(
        Option.isNone(state) && Option.isNone(provider)
          ? "(no tickets yet: `orchestrator sync tickets` or `orchestrator tickets add \"title\"`)"
          : "(no tickets match --state / --provider)"
      )
    }
  })
).pipe(Command.withDescription("tickets in the local store, a page at a time"), Command.provide(ReadStoreFromFlags))

const add = Command.make(
  "add",
  {
    title: Args.text({ name: "title" }).pipe(
      Args.withSchema(Schema.String.pipe(Schema.pattern(/\S/, { message: () => "the title must not be blank" })))
    ),
    description: Options.text("description").pipe(Options.withDescription("the ticket's description"), Options.optional),
    project: Options.text("project").pipe(Options.withDescription("project (a key of [projects])"), Options.optional)
  },
  ({ description, project, title }) =>
    Effect.gen(function* () {
      const config = yield* AppConfig
      const local = yield* makeLocal(config.settings.tracker.workflow_state_map)
      const ticket = yield* local.create({
        title,
        description: Option.getOrElse(description, () => ""),
        project: Option.getOrNull(project)
      })
      yield* Console.log(`created ${ticket.identifier} (${ticket.id}): ${clip(ticket.title, 80)}`)
    })
).pipe(Command.withDescription("create a local ticket (the ticketing.local provider)"), Command.provide(StoreFromFlags))

export const ticketsCommand = Command.make("tickets").pipe(
  Command.withDescription("tickets in the local store"),
  Command.withSubcommands([list, add])
)
