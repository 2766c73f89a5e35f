// A path on a runner's disk is written `<runner>:<absolute path>` (as scp does), so work items,
// worktrees and sessions keep a plain string and still say which machine their files are on.
// Plain functions (no Effect): the screens and the web page use them too.

export interface LocatedPath {
  readonly runner: string
  readonly path: string
}

const located = /^([A-Za-z0-9][A-Za-z0-9._-]{0,62}):(\/.*)$/

/** `alpha:/srv/repo`: a path on runner alpha's disk. */
export const locatePath = (runner: string, path: string): string => `${runner}:${path}`

/** The runner and local path of a located path; null for a plain local path. */
export const locatedParts = (text: string): LocatedPath | null => {
  const match = located.exec(text)
  return match === null ? null : { runner: match[1] ?? "", path: match[2] ?? "" }
}

/** The runner a path is on, if it is on one. */
export const runnerOfPath = (text: string): string | null => locatedParts(text)?.runner ?? null

/** How often a runner refreshes its row, and how long a silent runner counts as online. */
export const RUNNER_HEARTBEAT_MS = 3_000
export const RUNNER_OFFLINE_AFTER_MS = 12_000

export const runnerOnline = (row: { readonly seenAt: number }, now: number): boolean => now - row.seenAt <= RUNNER_OFFLINE_AFTER_MS
