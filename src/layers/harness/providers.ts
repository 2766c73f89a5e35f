import type { CommandExecutor, FileSystem, HttpClient } from "@effect/platform"
import { Effect, Layer } from "effect"
import type { AppConfig } from "../../services/AppConfig.js"
import type { Harness } from "../../services/Harness.js"
import type { HarnessProvider } from "../../services/HarnessProvider.js"
import { binaryHealth } from "./binaryHealth.js"
import { claudePackageDirs } from "./claude/platformPackage.js"

/** What a harness layer may need; the engine's wiring provides all of it. */
export type HarnessLayer = Layer.Layer<Harness, never, AppConfig | CommandExecutor.CommandExecutor | FileSystem.FileSystem | HttpClient.HttpClient>

/** A harness: its description plus the layer that runs it. */
export interface HarnessProviderRow extends HarnessProvider {
  readonly layer: HarnessLayer
}

/** The adapter's module is loaded when the layer is built, so reading the table stays cheap. */
const loadedOnBuild = (load: () => Promise<HarnessLayer>): HarnessLayer => Layer.unwrapEffect(Effect.promise(load))

/**
 * The harnesses `harness_provider` may name. Adding one is a folder under src/layers/harness/ and a
 * row here: config validation, `--harness-provider`, doctor, the run screen and dispatch read this.
 */
export const harnessProviders: ReadonlyArray<HarnessProviderRow> = [
  {
    id: "harness.codex",
    name: "codex",
    binaryKey: "runtime.codex_binary",
    install: "npm install -g @openai/codex",
    capabilities: { steer: true, interrupt: true, resume: true, approvals: true, needsInput: true },
    health: binaryHealth("runtime.codex_binary", (settings) => settings.runtime.codex_binary),
    layer: loadedOnBuild(() => import("./codex/CodexLive.js").then((module) => module.CodexLive))
  },
  {
    id: "harness.opencode",
    name: "opencode",
    binaryKey: "runtime.opencode_binary",
    install: "npm install -g opencode-ai",
    capabilities: { steer: true, interrupt: true, resume: true, approvals: true, needsInput: true },
    health: binaryHealth("runtime.opencode_binary", (settings) => settings.runtime.opencode_binary),
    layer: loadedOnBuild(() =>
      import("./opencode/OpenCodeLive.js").then((module) => module.OpenCodeLive({ environment: { ...process.env } }))
    )
  },
  {
    id: "harness.claude",
    name: "claude",
    binaryKey: "runtime.claude_binary",
    install: "npm install -g @anthropic-ai/claude-code",
    capabilities: { steer: false, interrupt: true, resume: true, approvals: true, needsInput: true },
    health: binaryHealth("runtime.claude_binary", (settings) => settings.runtime.claude_binary, () => claudePackageDirs()),
    layer: loadedOnBuild(() => import("./claude/ClaudeLive.js").then((module) => module.ClaudeLive))
  }
]
