import { Schema } from "effect"

/** The store cannot be used as it is: `problem` says what is wrong with the file, `advice` what to do. */
export class StoreUnusable extends Schema.TaggedError<StoreUnusable>()("StoreUnusable", {
  path: Schema.String,
  problem: Schema.String,
  advice: Schema.String
}) {
  override get message(): string {
    return `event store ${this.path} ${this.problem}: ${this.advice}`
  }
}

/** The store was migrated by a newer orchestrator: this build must not write to it. */
export class StoreNewer extends Schema.TaggedError<StoreNewer>()("StoreNewer", {
  path: Schema.String,
  storeVersion: Schema.Number,
  knownVersion: Schema.Number
}) {
  override get message(): string {
    return `event store ${this.path} was made by a newer orchestrator (store version ${this.storeVersion}, this build knows up to ${this.knownVersion}): nothing was written; upgrade orchestrator, or set event_store_path to another store`
  }
}

/** Who holds a store's lease: one `run` at a time owns a store. */
export const LeaseHolder = Schema.Struct({
  pid: Schema.Number,
  host: Schema.String,
  since: Schema.Number
})
export type LeaseHolder = typeof LeaseHolder.Type

/** Another live `run` owns the store. */
export class StoreLeased extends Schema.TaggedError<StoreLeased>()("StoreLeased", {
  path: Schema.String,
  holder: LeaseHolder
}) {
  override get message(): string {
    return `event store ${this.path} is in use by another run (pid ${this.holder.pid} on ${this.holder.host}, since ${new Date(this.holder.since).toISOString()}): stop that run first, or give this one its own event_store_path`
  }
}

/**
 * This run held the store's lease and lost it: its connection to the PostgreSQL server dropped (a
 * restart, a network cut) and another run took the lease meanwhile. This one stops writing.
 */
export class StoreLeaseLost extends Schema.TaggedError<StoreLeaseLost>()("StoreLeaseLost", {
  path: Schema.String,
  holder: LeaseHolder
}) {
  override get message(): string {
    return `event store ${this.path}: the connection to the server dropped and another run took the lease meanwhile (pid ${this.holder.pid} on ${this.holder.host}, since ${new Date(this.holder.since).toISOString()}); this run stopped so that only one writes`
  }
}
