// Runners: the machines of a cluster that host agent sessions and worktrees. A path on a runner's
// disk is written `<runner>:<absolute path>` (as scp does), so work items, worktrees and sessions
// keep a plain string and still say which machine their files are on.
import { Option, Schema } from "effect"
import { EpochMillis } from "./ids.js"

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

/** How often a runner refreshes its row, and how long a silent runner counts as online. */
export const RUNNER_HEARTBEAT_MS = 3_000
export const RUNNER_OFFLINE_AFTER_MS = 12_000

export const runnerOnline = (row: RunnerRow, now: number): boolean => now - row.seenAt <= RUNNER_OFFLINE_AFTER_MS

export interface LocatedPath {
  readonly runner: string
  readonly path: string
}

const located = /^([A-Za-z0-9][A-Za-z0-9._-]{0,62}):(\/.*)$/

/** `alpha:/srv/repo`: a path on runner alpha's disk. */
export const locatePath = (runner: string, path: string): string => `${runner}:${path}`

/** The runner and local path of a located path; none for a plain local path. */
export const parseLocatedPath = (text: string): Option.Option<LocatedPath> => {
  const match = located.exec(text)
  return match === null ? Option.none() : Option.some({ runner: match[1] ?? "", path: match[2] ?? "" })
}

/** The runner a session's worktree path is on, if it is on one. */
export const runnerOfPath = (text: string): string | null =>
  Option.match(parseLocatedPath(text), { onNone: () => null, onSome: (at) => at.runner })
