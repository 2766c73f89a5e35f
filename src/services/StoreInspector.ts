import { Context, type Effect, type Option } from "effect"
import type { DatabaseSettings } from "../domain/config.js"
import type { RunnerRow } from "../domain/runner.js"
import type { LeaseHolder } from "../domain/storeErrors.js"

/** What doctor learns about the event store's file without opening it for writing. */
export type StoreHealth =
  | { readonly _tag: "Missing" }
  /** Cannot be used at all (a directory, not a database, blocked path): `message` says what to do. */
  | { readonly _tag: "Unusable"; readonly message: string }
  | {
      readonly _tag: "Present"
      readonly version: number
      /** The newest store version this build knows: a higher `version` was made by a newer orchestrator. */
      readonly knownVersion: number
      readonly readOnly: boolean
      /** SQLite's `PRAGMA quick_check`: ["ok"], or the problems it found. */
      readonly check: ReadonlyArray<string>
      /** The run that owns the store now, if any. */
      readonly lease: Option.Option<LeaseHolder>
    }

/** What doctor learns about a PostgreSQL store (`[database] url`), without changing it. */
export type ServerHealth =
  /** No server is configured: the store is the SQLite file. */
  | { readonly _tag: "None" }
  | { readonly _tag: "Unusable"; readonly message: string }
  | {
      readonly _tag: "Present"
      /** `postgres://user@host:port/db`, never a password. */
      readonly where: string
      readonly serverVersion: string
      /** 0 when no orchestrator has opened the database yet. */
      readonly version: number
      readonly knownVersion: number
      readonly lease: Option.Option<LeaseHolder>
      /** The runners that joined a cluster on it. */
      readonly runners: ReadonlyArray<RunnerRow>
    }

export class StoreInspector extends Context.Tag("orchestrator/StoreInspector")<
  StoreInspector,
  {
    readonly inspect: (path: string) => Effect.Effect<StoreHealth>
    readonly inspectServer: (database: typeof DatabaseSettings.Type) => Effect.Effect<ServerHealth>
  }
>() {}
