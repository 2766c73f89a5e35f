import { Command, Options } from "@effect/cli"
import { Console, Effect } from "effect"
import { LazyTicketingLive } from "./lazyLayers.js"
import { AppConfig } from "../../services/AppConfig.js"
import type { PageProgress } from "../../services/Ticketing.js"
import { describeSync, syncTickets } from "../tickets/syncTickets.js"
import { StoreFromFlags } from "./globals.js"
import { terminalJson, terminalLine } from "../../domain/terminalText.js"

const json = Options.boolean("json").pipe(Options.withDescription("print the counts as JSON"))
const full = Options.boolean("full").pipe(
  Options.withDescription("list every ticket, not only those changed since the last sync, and mark the ones gone as no longer visible")
)

/** A progress line on a terminal only: piped output stays clean. */
const progress: PageProgress = (fetched) =>
  Effect.sync(() => {
    if (process.stderr.isTTY) process.stderr.write(`\rfetching tickets… ${fetched}`)
  })

const clearProgress = Effect.sync(() => {
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[K")
})

/** Printed once when the configured tracker has no key and local tickets stand in for it. */
const fallbackNotice = Effect.flatMap(AppConfig, (config) =>
  config.ticketingFallback === undefined ? Effect.void : Console.error(`notice: ${config.ticketingFallback}`)
)

const tickets = Command.make("tickets", { json, full }, ({ json, full }) =>
  Effect.zipRight(fallbackNotice, syncTickets(progress, { full })).pipe(
    Effect.ensuring(clearProgress),
    Effect.flatMap((report) => Console.log(json ? terminalJson(report) : terminalLine(describeSync(report)))),
    Effect.provide(LazyTicketingLive)
  )
).pipe(
  Command.withDescription(
    "fetch tickets from the configured provider into the local store (only those changed since the last sync, every [tracker] full_sync_every-th sync all of them); print new/updated/unchanged counts"
  )
)

export const syncCommand = Command.make("sync").pipe(
  Command.withDescription("bring external data into the local store"),
  Command.withSubcommands([tickets]),
  Command.provide(StoreFromFlags)
)
