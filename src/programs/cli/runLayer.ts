import type { CommandExecutor, FileSystem, HttpClient } from "@effect/platform"
import { Config, Effect, Layer, Option } from "effect"
import type { ConfigInvalid } from "../../domain/errors.js"
import type { ScriptedHarnessInvalid } from "../../domain/runErrors.js"
import { AppConfig } from "../../services/AppConfig.js"
import type { Harness } from "../../services/Harness.js"
import { StoreFromFlags } from "./globals.js"
import { engineLayer, LocalTools } from "./engineLayer.js"
import { ConfiguredHarness } from "./harnessLayer.js"
import { scriptedHarnessFromFile } from "./scriptFile.js"

type RunHarnessLayer = Layer.Layer<
  Harness,
  ConfigInvalid | ScriptedHarnessInvalid,
  AppConfig | CommandExecutor.CommandExecutor | FileSystem.FileSystem | HttpClient.HttpClient
>

/** The configured harness, or (test/demo hook) the scripted one that ORCHESTRATOR_SCRIPTED_HARNESS names. */
const RunHarness = Layer.unwrapEffect(
  Effect.map(Config.option(Config.string("ORCHESTRATOR_SCRIPTED_HARNESS")), (path): RunHarnessLayer =>
    Option.match(path, { onNone: () => ConfiguredHarness, onSome: scriptedHarnessFromFile })
  )
)

/** The harness, git and gh: this machine's, or on a cluster ([cluster] enabled) the runners'. */
const RunTools = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) =>
    config.settings.cluster.enabled
      ? Layer.unwrapEffect(Effect.map(Effect.promise(() => import("./clusterLayer.js")), (module) => module.ClusterTools))
      : Layer.merge(RunHarness, LocalTools)
  )
)

export const RunLayer = engineLayer(RunTools.pipe(Layer.provideMerge(StoreFromFlags)))
