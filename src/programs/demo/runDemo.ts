import { Console, Effect, Layer, Option, Redacted } from "effect"
import { rmSync } from "node:fs"
import { ConfigLive, noOverrides } from "../../layers/config/ConfigLive.js"
import { EventStoreFromConfig } from "../../layers/eventStore/sqlite.js"
import { AppConfig } from "../../services/AppConfig.js"
import { Ticketing } from "../../services/Ticketing.js"
import { engineLayer, LocalTools } from "../cli/engineLayer.js"
import { runHeadless } from "../engine/headless.js"
import { RunBanner } from "../run/runBanner.js"
import { optionalSupervisor } from "../cli/optionalSupervisor.js"
import { runTui } from "../run/runTui.js"
import { withWeb } from "../web/withWeb.js"
import { createDemoEnvironment, demoTickets } from "./demoSetup.js"
import { makeDemoHarness } from "./demoHarness.js"
import { scriptedSupervisorServer } from "./scriptedSupervisor.js"

export interface DemoOptions {
  readonly headless: boolean
  /** Keep the temp dir afterwards (to look at the repository, the store, the logs). */
  readonly keep: boolean
  /** Serve the web dashboard too; headless, the run then waits for the person instead of driving itself. */
  readonly web?: boolean
}

/**
 * `orchestrator run --demo`: the whole loop offline in a temp dir (a sample repository with a bare
 * origin, three local tickets, a scripted agent, a scripted GitHub). Nothing outside that dir is
 * read or written: the config, the store and the worktrees all live in it.
 */
export const runDemo = (options: DemoOptions) =>
  Effect.gen(function* () {
    const environment = yield* Effect.acquireRelease(
      Effect.sync(() => createDemoEnvironment(options.headless && options.web !== true)),
      (env) => (options.keep ? Console.error(`demo files kept in ${env.dir}`) : Effect.sync(() => rmSync(env.dir, { recursive: true, force: true })))
    )
    yield* Console.error(`DEMO: an offline sample run in ${environment.dir} (scripted agent, scripted GitHub, scripted supervisor); nothing real is touched.`)
    // The supervisor answers from a scripted OpenRouter-shaped server on 127.0.0.1: no key, no network.
    const supervisorUrl = yield* scriptedSupervisorServer
    const config = Layer.effect(
      AppConfig,
      Effect.map(AppConfig, (loaded) => ({
        ...loaded,
        settings: { ...loaded.settings, supervisor: { ...loaded.settings.supervisor, model: "scripted-demo", openrouter_base_url: supervisorUrl } },
        // A placeholder, never a person's key: the only server that sees it is the scripted one.
        secrets: { ...loaded.secrets, openrouterApiKey: Option.some(Redacted.make("scripted-demo")) }
      }))
    ).pipe(Layer.provide(ConfigLive({ ...noOverrides, configPath: Option.some(environment.configFile) })))
    const layer = engineLayer(
      Layer.mergeAll(EventStoreFromConfig, makeDemoHarness(options.web === true), LocalTools).pipe(Layer.provideMerge(config))
    )
    const program = Effect.gen(function* () {
      const tickets = yield* Ticketing
      for (const ticket of demoTickets) yield* tickets.create({ ...ticket, project: "demo" })
      const banner = `DEMO · offline sample run in ${environment.dir} · scripted agent, GitHub and supervisor (c) · press ? for keys`
      const tui = Effect.provideService(runTui(optionalSupervisor), RunBanner, banner)
      if (options.web === true) {
        // The person drives it from the page: nothing starts by itself and the run lasts until stopped.
        const main: Effect.Effect<void, Effect.Effect.Error<typeof tui> | Effect.Effect.Error<ReturnType<typeof runHeadless>>, Effect.Effect.Context<typeof tui> | Effect.Effect.Context<ReturnType<typeof runHeadless>>> =
          options.headless ? Effect.asVoid(runHeadless({ auto: false, untilIdle: false, dispatchEvery: "2 seconds" })) : tui
        yield* Effect.provideService(withWeb(main, { headless: options.headless, supervisor: optionalSupervisor }), RunBanner, banner)
      } else if (options.headless) yield* runHeadless({ auto: true, untilIdle: true, dispatchEvery: "2 seconds" })
      else yield* tui
    })
    yield* Effect.provide(program, layer)
  }).pipe(Effect.scoped)
