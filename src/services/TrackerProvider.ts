import type { Effect } from "effect"
import type { LoadedConfig } from "./AppConfig.js"

/** What a tracker can do beyond listing tickets; declared in its row, read by doctor. */
export interface TrackerCapabilities {
  /** Tickets live in a remote tracker and are synced into the store. */
  readonly remote: boolean
  readonly comments: boolean
  readonly links: boolean
}

/**
 * What programs and the config loader may know of a tracker without loading it: a row of the
 * tracker table (src/layers/ticketing/providers.ts) minus its layer.
 */
export interface TrackerProvider {
  /** The `ticketing_provider` value, e.g. `ticketing.linear`. */
  readonly id: string
  /** For people, e.g. `Linear`. */
  readonly name: string
  /** The environment variable holding its API key; without it the config falls back to local tickets. */
  readonly secretEnv: string | undefined
  /** Its own TOML section (`[linear]`), beside the shared `[tracker]` one. */
  readonly settingsSection: string | undefined
  readonly capabilities: TrackerCapabilities
  /**
   * For doctor, when it is the tracker in use: what it still needs beyond its key, one sentence
   * each naming what to set; empty when it is ready. Absent: nothing beyond the key.
   */
  readonly setupProblems?: (config: LoadedConfig) => Effect.Effect<ReadonlyArray<string>>
}
