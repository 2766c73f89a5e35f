import type { FileSystem } from "@effect/platform"
import { Context, type Effect } from "effect"
import type { BinaryUnavailable } from "../domain/errors.js"
import type { ProcessFailed } from "../domain/processErrors.js"
import type { LoadedConfig } from "./AppConfig.js"
import type { HarnessCapabilities } from "./Harness.js"
import type { ProcessRunner } from "./ProcessRunner.js"

/**
 * What programs may know of a harness without loading it: a row of the harness table
 * (src/layers/harness/providers.ts) minus its layer. Doctor and the run screen read these; the
 * composition roots hand them over.
 */
export interface HarnessProvider {
  /** The `harness_provider` value, e.g. `harness.codex`. */
  readonly id: string
  /** Short name for doctor's check, e.g. `codex`. */
  readonly name: string
  /** The setting naming its binary, e.g. `runtime.codex_binary`. */
  readonly binaryKey: string
  /** How to install it, e.g. `npm install -g @openai/codex`. */
  readonly install: string
  readonly capabilities: HarnessCapabilities
  /** Finds the binary the way the harness does and asks it for its version: the line doctor shows. */
  readonly health: (config: LoadedConfig) => Effect.Effect<string, BinaryUnavailable | ProcessFailed, ProcessRunner | FileSystem.FileSystem>
}

/** The harness table's descriptions, for programs that run under the engine's layer (the run screen). */
export class HarnessProviders extends Context.Tag("orchestrator/HarnessProviders")<HarnessProviders, ReadonlyArray<HarnessProvider>>() {}
