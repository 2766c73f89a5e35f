import { Context, type Effect, type Option } from "effect"
import type { BinaryUnavailable } from "../domain/errors.js"
import type { RepoHostAuthError, RepoHostDecodeError, RepoHostError } from "../domain/vcsErrors.js"
import type { CheckResult, MergeMethod, PullRequest, PullRequestRef, ReviewComment } from "../domain/vcsPullRequest.js"

export type RepoHostFailure = RepoHostError | RepoHostAuthError | RepoHostDecodeError | BinaryUnavailable

export interface DraftRequest {
  /** A clone or worktree of the repository: gh finds the GitHub repository from its remote. */
  readonly repoPath: string
  readonly head: string
  readonly base: string
  readonly title: string
  readonly body: string
}

export interface OpenedPullRequest {
  readonly number: number
  readonly url: string
  /** True when a pull request for the branch already existed and was returned instead. */
  readonly reused: boolean
}

export interface MergeRequest {
  readonly repoPath: string
  readonly number: number
  /** GitHub refuses the merge when the head moved past this commit. */
  readonly headSha: string
}

/** Pull requests on the code host (`vcs_repos.github_gh_cli`). */
export class RepoHost extends Context.Tag("orchestrator/RepoHost")<
  RepoHost,
  {
    /** gh's own account line when logged in. */
    readonly authStatus: Effect.Effect<string, RepoHostFailure>
    readonly createDraft: (request: DraftRequest) => Effect.Effect<OpenedPullRequest, RepoHostFailure>
    readonly findByHead: (repoPath: string, branch: string) => Effect.Effect<Option.Option<PullRequestRef>, RepoHostFailure>
    readonly view: (repoPath: string, number: number) => Effect.Effect<PullRequest, RepoHostFailure>
    /** Empty when the pull request has no checks at all. */
    readonly checks: (repoPath: string, number: number) => Effect.Effect<ReadonlyArray<CheckResult>, RepoHostFailure>
    readonly markReady: (repoPath: string, number: number) => Effect.Effect<void, RepoHostFailure>
    /** Merges with the configured method, falling back to the others the repository allows; returns the one used. */
    readonly merge: (request: MergeRequest) => Effect.Effect<MergeMethod, RepoHostFailure>
    readonly reviewComments: (repoPath: string, number: number) => Effect.Effect<ReadonlyArray<ReviewComment>, RepoHostFailure>
  }
>() {}
