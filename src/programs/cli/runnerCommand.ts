import { Command, Options } from "@effect/cli"
import { Console, Effect, Layer, Option, Schema } from "effect"
import { hostname } from "node:os"
import { StoreUnusable } from "../../domain/storeErrors.js"
import { databaseUrl } from "../../layers/eventStore/databaseUrl.js"
import { RunnerName } from "../../domain/runner.js"
import { AppConfig } from "../../services/AppConfig.js"
import { keepRunnerRow } from "../runner/runnerRow.js"
import { ConfigFromFlags } from "./globals.js"

/** The port runners listen on for each other unless told otherwise. */
const DEFAULT_PORT = 34431

const name = Options.text("name").pipe(
  Options.withDescription("this runner's name (default: the host name); its agent sessions are pinned to it"),
  Options.optional
)
const host = Options.text("host").pipe(
  Options.withDescription("the address other machines reach this runner at (default: the host name)"),
  Options.optional
)
const port = Options.integer("port").pipe(Options.withDescription(`the port runners talk on (default ${DEFAULT_PORT})`), Options.withDefault(DEFAULT_PORT))

const noServer = new StoreUnusable({
  path: "[database] url",
  problem: "is not set",
  advice: "a runner joins the cluster through a shared PostgreSQL store: set [database] url (password in PGPASSWORD or ~/.pgpass) or ORCHESTRATOR_DATABASE_URL"
})

/**
 * `orchestrator runner`: joins the cluster on the configured PostgreSQL server and hosts the agent
 * sessions of its shard group until stopped. The cluster code is imported here only.
 */
export const runnerCommand = Command.make("runner", { name, host, port }, (options) =>
  Effect.gen(function* () {
    const config = yield* AppConfig
    const server = yield* databaseUrl(config.settings.database)
    if (Option.isNone(server)) return yield* noServer
    const runnerName = Option.getOrElse(options.name, () => hostname())
    yield* Schema.decodeUnknown(RunnerName)(runnerName).pipe(
      Effect.mapError(() => new StoreUnusable({ path: `runner name "${runnerName}"`, problem: "is not usable", advice: "give --name letters, digits, '.', '_' or '-' (at most 63)" }))
    )
    const { runnerProcess } = yield* Effect.promise(() => import("./runnerLayer.js"))
    const address = {
      name: runnerName,
      host: Option.getOrElse(options.host, () => hostname()),
      port: options.port,
      maxSessions: config.settings.runtime.max_concurrent_sessions
    }
    const context = yield* Layer.build(runnerProcess(config, server.value, address))
    yield* keepRunnerRow(runnerName).pipe(Effect.provide(context), Effect.provideService(AppConfig, config))
    const projects = Object.keys(config.settings.projects)
    yield* Console.log(
      `runner ${runnerName} joined the cluster at ${address.host}:${address.port} (shard group runner:${runnerName}); ` +
        `projects: ${projects.length > 0 ? projects.join(", ") : "none ([projects] is empty: no work can be placed here)"}; ` +
        `up to ${config.settings.runtime.max_concurrent_sessions} agents at once`
    )
    return yield* Effect.never
  }).pipe(Effect.scoped, Effect.provide(ConfigFromFlags))
).pipe(Command.withDescription("join the cluster on the shared PostgreSQL store and host agent sessions on this machine"))
