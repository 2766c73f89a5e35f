import { Console, type Context, Effect, Option, Redacted } from "effect"
import type { Supervisor } from "../../services/Supervisor.js"
import { logfmt } from "../engine/logfmt.js"
import { RunBanner } from "../run/runBanner.js"
import { startWebServer } from "./webServer.js"

/**
 * Runs `program` with the web dashboard beside it, for as long as it runs. Headless, one log line
 * says where it listens (the token stays in its file); on screen, the banner shows the URL to open.
 */
export const withWeb = <A, E, R, E2, R2>(
  program: Effect.Effect<A, E, R>,
  options: { readonly headless: boolean; readonly supervisor: Effect.Effect<Context.Context<Supervisor> | Context.Context<never>, E2, R2> }
) =>
  Effect.scoped(
    Effect.gen(function* () {
      const supervisor = yield* options.supervisor
      const server = yield* Effect.provide(startWebServer(), supervisor)
      if (server.warning !== null) yield* Console.error(`warning: ${server.warning}`)
      if (options.headless) {
        yield* Console.log(logfmt([["event", "web_started"], ["url", server.url], ["token_file", server.tokenFile]]))
        return yield* program
      }
      const banner = yield* Effect.serviceOption(RunBanner)
      const line = `web: ${Redacted.value(server.openUrl)}`
      return yield* Effect.provideService(program, RunBanner, Option.match(banner, { onNone: () => line, onSome: (b) => `${b} · ${line}` }))
    })
  )
