import { Command, Options } from "@effect/cli"
import { Duration, Effect, Layer } from "effect"
import { AppConfig } from "../../services/AppConfig.js"
import { holdStoreLease, whileLeaseHeld } from "../engine/storeLease.js"
import { StoreFromFlags } from "./globals.js"

/** The store's lease, taken before the engine is built (the same store layer, memoized) and given back after it stops. */
const StoreLease = Layer.scopedDiscard(holdStoreLease).pipe(Layer.provide(StoreFromFlags))

export const runCommand = Command.make(
  "run",
  {
    headless: Options.boolean("headless").pipe(Options.withDescription("no screen: the same engine, one log line per event on stdout")),
    auto: Options.boolean("auto").pipe(Options.withDescription("with --headless: start tickets in the configured states by priority")),
    untilIdle: Options.boolean("until-idle").pipe(Options.withDescription("with --headless: exit once nothing is in flight")),
    demo: Options.boolean("demo").pipe(
      Options.withDescription("the whole loop offline in a temp dir: sample repository, three tickets, scripted agent, GitHub and supervisor")
    ),
    keepDemo: Options.boolean("keep-demo").pipe(Options.withDescription("with --demo: keep the temp dir afterwards")),
    web: Options.boolean("web").pipe(Options.withDescription("serve the web dashboard and control API on [web] host, port (token in the data dir)"))
  },
  ({ auto, demo, headless, keepDemo, untilIdle, web }) =>
    Effect.gen(function* () {
      const run = yield* Effect.promise(() => import("./runEntry.js"))
      if (demo) return yield* run.runDemo({ headless, keep: keepDemo, web })
      const layer = run.RunLayer.pipe(Layer.provide(StoreLease))
      const served = <A, E, R>(program: Effect.Effect<A, E, R>) => (web ? run.withWeb(program, { headless, supervisor: run.optionalSupervisor }) : program)
      if (!headless) return yield* Effect.provide(whileLeaseHeld(served(run.runTui(run.optionalSupervisor))), layer)
      const main = Effect.flatMap(AppConfig, (config) =>
        Effect.asVoid(run.runHeadless({ auto, untilIdle, dispatchEvery: Duration.seconds(config.settings.runtime.dispatch_interval_secs) }))
      )
      return yield* Effect.provide(whileLeaseHeld(served(main)), layer)
    })
).pipe(Command.withDescription("the terminal UI: sessions, inbox, transcripts; --headless for log lines instead; --demo to try it offline"))
