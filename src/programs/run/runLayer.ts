import { Config, Effect, Layer, Option } from "effect"
import { ConfiguredHarness } from "../engine/harnessLayer.js"
import { engineLayer } from "../engine/engineLayer.js"
import { StoreFromFlags } from "../cli/globals.js"
import { scriptedHarnessFromFile } from "./scriptFile.js"

/** The configured harness, or (test/demo hook) the scripted one that ORCHESTRATOR_SCRIPTED_HARNESS names. */
const RunHarness = Layer.unwrapEffect(
  Effect.map(Config.option(Config.string("ORCHESTRATOR_SCRIPTED_HARNESS")), (path) =>
    Option.match(path, { onNone: () => ConfiguredHarness, onSome: scriptedHarnessFromFile })
  )
)

export const RunLayer = engineLayer(RunHarness.pipe(Layer.provideMerge(StoreFromFlags)))

