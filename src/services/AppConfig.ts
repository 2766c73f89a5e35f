import { Context, type Option, type Redacted } from "effect"
import type { Settings } from "../domain/config.js"

export interface Secrets {
  readonly linearApiKey: Option.Option<Redacted.Redacted<string>>
  readonly shortcutApiToken: Option.Option<Redacted.Redacted<string>>
  readonly openrouterApiKey: Option.Option<Redacted.Redacted<string>>
  /** `ticketing.jira`'s API token (JIRA_API_TOKEN); absent where a test builds its own secrets. */
  readonly jiraApiToken?: Option.Option<Redacted.Redacted<string>>
}

/** The effective configuration: the file's settings with `~` expanded and CLI overrides applied. */
export interface LoadedConfig {
  /** The file it came from. */
  readonly file: string
  /** SHA-256 of the file's text as it was read and validated; absent when no file was read. */
  readonly fileSha256?: string
  /** True when this run wrote the file with defaults. */
  readonly created: boolean
  readonly settings: Settings
  /** Where the event store, logs and default worktrees live. */
  readonly dataDir: string
  readonly secrets: Secrets
  /** Unknown keys, one sentence each, for the person to read. */
  readonly warnings: ReadonlyArray<string>
  /** Set when the configured tracker has no API key and local tickets are used instead. */
  readonly ticketingFallback?: string
}

export class AppConfig extends Context.Tag("orchestrator/AppConfig")<AppConfig, LoadedConfig>() {}
