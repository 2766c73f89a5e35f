// Runners: the machines of a cluster that host agent sessions and worktrees (paths on them: located.ts).
import { Option, Schema } from "effect"
import { EpochMillis } from "./ids.js"
import { type LocatedPath, locatedParts } from "./located.js"

export { locatePath, RUNNER_HEARTBEAT_MS, RUNNER_OFFLINE_AFTER_MS, runnerOfPath, runnerOnline } from "./located.js"

/** Runner names: what a shard group, an entity id and a located path can carry unambiguously. */
export const RunnerName = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/),
  Schema.annotations({ description: "letters, digits, '.', '_' or '-' (at most 63), starting with a letter or digit" })
)

/** What a runner says of itself in the shared store, refreshed while it runs. */
export class RunnerRow extends Schema.Class<RunnerRow>("RunnerRow")({
  name: Schema.String,
  host: Schema.String,
  pid: Schema.Number,
  /** Its `[projects]`: project key → repository path on its disk. */
  projects: Schema.Record({ key: Schema.String, value: Schema.String }),
  maxSessions: Schema.Number,
  startedAt: EpochMillis,
  seenAt: EpochMillis
}) {}

/** The runner and local path of a located path; none for a plain local path. */
export const parseLocatedPath = (text: string): Option.Option<LocatedPath> => Option.fromNullable(locatedParts(text))
