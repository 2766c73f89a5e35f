import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option, Schema } from "effect"
import { Ticket } from "../../domain/ticket.js"
import { makeLocal } from "../../layers/ticketing/Local.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventStore } from "../../services/EventStore.js"
import { ReadStoreFromFlags, StoreFromFlags } from "./globals.js"
import { clip, renderTable } from "./table.js"
import { terminalJson } from "../../domain/terminalText.js"

const encodeTicket = Schema.encodeSync(Ticket)

const list = Command.make(
  "list",
  { json: Options.boolean("json").pipe(Options.withDescription("print JSON instead of a table")) },
  ({ json }) =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const tickets = yield* store.tickets({})
      if (json) return yield* Console.log(terminalJson(tickets.map((t) => encodeTicket(t))))
      yield* Console.log(
        renderTable(
          ["TICKET", "PROVIDER", "STATE", "PROJECT", "TITLE"],
          tickets.map((t) => [t.identifier, t.provider, t.state.name, t.project ?? t.team ?? "-", clip(t.title.replace(/\s+/g, " "), 60)])
        )
      )
      if (tickets.length === 0) yield* Console.log("(no tickets yet: `orchestrator sync tickets` or `orchestrator tickets add \"title\"`)")
    })
).pipe(Command.withDescription("tickets in the local store"), Command.provide(ReadStoreFromFlags))

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
