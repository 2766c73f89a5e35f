import { Effect, Layer } from "effect"
import { CodexLive } from "../../layers/harness/codex/CodexLive.js"
import { OpenCodeLive } from "../../layers/harness/opencode/OpenCodeLive.js"
import { AppConfig } from "../../services/AppConfig.js"

/** The harness `harness_provider` names (after the `--harness-provider` flag). */
export const ConfiguredHarness = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) =>
    config.settings.harness_provider === "harness.opencode" ? OpenCodeLive({ environment: { ...process.env } }) : CodexLive
  )
)
