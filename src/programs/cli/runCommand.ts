import { Command, Options } from "@effect/cli"
import { Config, Duration, Effect, Layer, Option } from "effect"
import { ConfiguredHarness } from "../engine/harnessLayer.js"
import { engineLayer } from "../engine/engineLayer.js"
import { runHeadless } from "../engine/headless.js"
import { scriptedHarnessFromFile } from "../run/scriptFile.js"
import { runTui } from "../run/runTui.js"
import { StoreFromFlags } from "./globals.js"
import { AppConfig } from "../../services/AppConfig.js"
import { runDemo } from "../demo/runDemo.js"

/** The configured harness, or (test/demo hook) the scripted one that ORCHESTRATOR_SCRIPTED_HARNESS names. */
const RunHarness = Layer.unwrapEffect(
  Effect.map(Config.option(Config.string("ORCHESTRATOR_SCRIPTED_HARNESS")), (path) =>
    Option.match(path, { onNone: () => ConfiguredHarness, onSome: scriptedHarnessFromFile })
  )
)

const RunLayer = engineLayer(RunHarness.pipe(Layer.provideMerge(StoreFromFlags)))

export const runCommand = Command.make(
  "run",
  {
    headless: Options.boolean("headless").pipe(Options.withDescription("no screen: the same engine, one log line per event on stdout")),
    auto: Options.boolean("auto").pipe(Options.withDescription("with --headless: start tickets in the configured states by priority")),
    untilIdle: Options.boolean("until-idle").pipe(Options.withDescription("with --headless: exit once nothing is in flight")),
    demo: Options.boolean("demo").pipe(
      Options.withDescription("the whole loop offline in a temp dir: sample repository, three tickets, scripted agent and GitHub")
    ),
    keepDemo: Options.boolean("keep-demo").pipe(Options.withDescription("with --demo: keep the temp dir afterwards"))
  },
  ({ auto, demo, headless, keepDemo, untilIdle }) =>
    Effect.gen(function* () {
      if (demo) return yield* runDemo({ headless, keep: keepDemo })
      const main = headless
        ? Effect.flatMap(AppConfig, (config) =>
            Effect.asVoid(runHeadless({ auto, untilIdle, dispatchEvery: Duration.seconds(config.settings.runtime.dispatch_interval_secs) }))
          )
        : runTui
      return yield* Effect.provide(main, RunLayer)
    })
).pipe(Command.withDescription("the terminal UI: sessions, inbox, transcripts; --headless for log lines instead; --demo to try it offline"))
