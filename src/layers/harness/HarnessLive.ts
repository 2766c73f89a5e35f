import { Effect, Layer } from "effect"
import { AppConfig } from "../../services/AppConfig.js"
import { chooseProvider } from "../config/providerChoice.js"
import type { HarnessProviderRow } from "./providers.js"

/** The harness of `rows` that `harness_provider` names (after the `--harness-provider` flag). */
export const harnessLayerFrom = (rows: ReadonlyArray<HarnessProviderRow>) =>
  Layer.unwrapEffect(
    Effect.flatMap(AppConfig, (config) =>
      Effect.map(chooseProvider(config.file, "harness_provider", rows, config.settings.harness_provider), (row) => row.layer)
    )
  )
