import { Context, type Effect, type Option } from "effect"
import type { BinaryUnavailable } from "../domain/errors.js"
import type { GitError, SafetyRefusal, UnsafePath } from "../domain/vcsErrors.js"

export type VcsFailure = GitError | BinaryUnavailable

export interface WorktreeRequest {
  readonly repoPath: string
  /** The ticket's human key (`ENG-42`) and title: hostile input, sanitized by the Layer. */
  readonly ticketKey: string
  readonly title: string
  /** The branch to start from; the repository's default branch when absent. */
  readonly baseBranch: Option.Option<string>
}

export interface WorktreeInfo {
  readonly repoPath: string
  readonly path: string
  readonly branch: string
  readonly baseBranch: string
  /** True when an existing worktree of the same ticket was returned. */
  readonly reused: boolean
}

export interface WorktreeStatus {
  readonly branch: string
  readonly headSha: string
  /** Paths with uncommitted changes, untracked files included (ignored files are not). */
  readonly dirtyFiles: ReadonlyArray<string>
  readonly upstream: Option.Option<string>
  readonly ahead: number
  readonly behind: number
}

export interface RemoveRequest {
  readonly repoPath: string
  readonly path: string
  readonly deleteBranch: boolean
  /**
   * The head commit of a pull request GitHub reports as merged. A squash merge leaves the
   * branch unreachable from the base; a branch still at this commit lost nothing.
   */
  readonly mergedHeadSha: Option.Option<string>
  /** The branch it was started from; a branch merged into it (or the default branch) counts as merged. */
  readonly baseBranch?: string
}

export interface RemoveResult {
  /** Where uncommitted work was saved first (`refs/orchestrator/wip/...`), if there was any. */
  readonly savedRef: Option.Option<string>
  readonly branchDeleted: boolean
}

/**
 * Git for the orchestrator. Every destructive operation goes through here and is checked
 * against the `[git]` safety flags in one place; a refusal names the flag that would allow it.
 */
export class Vcs extends Context.Tag("orchestrator/Vcs")<
  Vcs,
  {
    /** Repositories (work trees with a `.git`) under `root`, at most `maxDepth` levels down. */
    readonly discoverRepositories: (root: string, maxDepth: number) => Effect.Effect<ReadonlyArray<string>, VcsFailure>
    /** Creates `<prefix>/<KEY>-<slug>` and its worktree, or returns the ticket's existing one. */
    readonly ensureWorktree: (request: WorktreeRequest) => Effect.Effect<WorktreeInfo, VcsFailure | UnsafePath>
    readonly status: (path: string) => Effect.Effect<WorktreeStatus, VcsFailure>
    /** Commits everything (untracked files too); none when there was nothing to commit. */
    readonly commitAll: (path: string, message: string) => Effect.Effect<Option.Option<string>, VcsFailure>
    /** Pushes the current branch to `origin`, setting its upstream. */
    readonly push: (path: string, options: { readonly force: boolean }) => Effect.Effect<void, VcsFailure | SafetyRefusal>
    /** The diff of the worktree (committed and not) against its merge base with `baseBranch`. */
    readonly diff: (path: string, baseBranch: string) => Effect.Effect<string, VcsFailure>
    readonly removeWorktree: (request: RemoveRequest) => Effect.Effect<RemoveResult, VcsFailure | SafetyRefusal>
    readonly resetHard: (path: string, ref: string) => Effect.Effect<void, VcsFailure | SafetyRefusal>
    readonly clean: (path: string) => Effect.Effect<void, VcsFailure | SafetyRefusal>
  }
>() {}
