import { Effect, Layer } from "effect"
import { AppConfig } from "../../services/AppConfig.js"
import { StoreFromFlags } from "./globals.js"
import { engineLayer, LocalTools } from "./engineLayer.js"
import { ChosenHarness } from "./harnessLayer.js"

/** The harness, git and gh: this machine's, or on a cluster ([cluster] enabled) the runners'. */
const RunTools = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) =>
    config.settings.cluster.enabled
      ? Layer.unwrapEffect(Effect.map(Effect.promise(() => import("./clusterLayer.js")), (module) => module.ClusterTools))
      : Layer.merge(ChosenHarness, LocalTools)
  )
)

export const RunLayer = engineLayer(RunTools.pipe(Layer.provideMerge(StoreFromFlags)))
