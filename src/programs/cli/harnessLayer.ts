import type { CommandExecutor, FileSystem, HttpClient } from "@effect/platform"
import { Config, Effect, Layer, Option } from "effect"
import type { ConfigInvalid } from "../../domain/errors.js"
import type { ScriptedHarnessInvalid } from "../../domain/runErrors.js"
import { harnessLayerFrom } from "../../layers/harness/HarnessLive.js"
import { harnessProviders } from "../../layers/harness/providers.js"
import type { AppConfig } from "../../services/AppConfig.js"
import type { Harness } from "../../services/Harness.js"
import { scriptedHarnessFromFile } from "./scriptFile.js"

/** The harness `harness_provider` names, from the harness table. */
export const ConfiguredHarness = harnessLayerFrom(harnessProviders)

type ChosenHarnessLayer = Layer.Layer<
  Harness,
  ConfigInvalid | ScriptedHarnessInvalid,
  AppConfig | CommandExecutor.CommandExecutor | FileSystem.FileSystem | HttpClient.HttpClient
>

/** The configured harness, or (test/demo/bench hook) the scripted one that ORCHESTRATOR_SCRIPTED_HARNESS names: for `run` and `runner`. */
export const ChosenHarness = Layer.unwrapEffect(
  Effect.map(Config.option(Config.string("ORCHESTRATOR_SCRIPTED_HARNESS")), (path): ChosenHarnessLayer =>
    Option.match(path, { onNone: () => ConfiguredHarness, onSome: scriptedHarnessFromFile })
  )
)
