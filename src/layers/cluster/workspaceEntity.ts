// A runner's workspace as an @effect/cluster entity: git (the Vcs port) and gh (the RepoHost port)
// run on the machine whose disk holds the repositories and worktrees. Its id is the runner's name and
// it is pinned to that runner's shard group. Every operation is safe to repeat (a worktree or pull
// request that exists is returned, a push of a pushed branch does nothing), so a coordinator that
// died mid-call simply calls again; these messages are volatile.
import { ClusterSchema, Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { Schema } from "effect"
import { BinaryUnavailable } from "../../domain/errors.js"
import { GitError, RepoHostAuthError, RepoHostDecodeError, RepoHostError, SafetyRefusal, UnsafePath } from "../../domain/vcsErrors.js"
import { CheckResult, MergeMethod, PullRequest, PullRequestRef, ReviewComment } from "../../domain/vcsPullRequest.js"
import { runnerShardGroup } from "./agentSessionEntity.js"

const VcsFailure = Schema.Union(GitError, BinaryUnavailable)
const HostFailure = Schema.Union(RepoHostError, RepoHostAuthError, RepoHostDecodeError, BinaryUnavailable)
const Path = { path: Schema.String }
const PullRequestAt = { repoPath: Schema.String, number: Schema.Number }

export const WorktreeInfo = Schema.Struct({
  repoPath: Schema.String,
  path: Schema.String,
  branch: Schema.String,
  baseBranch: Schema.String,
  reused: Schema.Boolean
})

export const WorktreeStatus = Schema.Struct({
  branch: Schema.String,
  headSha: Schema.String,
  dirtyFiles: Schema.Array(Schema.String),
  upstream: Schema.Option(Schema.String),
  ahead: Schema.Number,
  behind: Schema.Number
})

export const EnsureWorktree = Rpc.make("EnsureWorktree", {
  payload: { repoPath: Schema.String, ticketKey: Schema.String, title: Schema.String, baseBranch: Schema.Option(Schema.String) },
  success: WorktreeInfo,
  error: Schema.Union(GitError, BinaryUnavailable, UnsafePath)
})
export const Status = Rpc.make("Status", { payload: Path, success: WorktreeStatus, error: VcsFailure })
export const CommitAll = Rpc.make("CommitAll", {
  payload: { path: Schema.String, message: Schema.String },
  success: Schema.Option(Schema.String),
  error: VcsFailure
})
export const Push = Rpc.make("Push", {
  payload: { path: Schema.String, force: Schema.Boolean },
  error: Schema.Union(GitError, BinaryUnavailable, SafetyRefusal)
})
export const Diff = Rpc.make("Diff", { payload: { path: Schema.String, baseBranch: Schema.String }, success: Schema.String, error: VcsFailure })
export const RemoveWorktree = Rpc.make("RemoveWorktree", {
  payload: Schema.Struct({
    repoPath: Schema.String,
    path: Schema.String,
    deleteBranch: Schema.Boolean,
    mergedHeadSha: Schema.Option(Schema.String),
    baseBranch: Schema.optionalWith(Schema.String, { exact: true })
  }),
  success: Schema.Struct({ savedRef: Schema.Option(Schema.String), branchDeleted: Schema.Boolean }),
  error: Schema.Union(GitError, BinaryUnavailable, SafetyRefusal)
})
export const ResetHard = Rpc.make("ResetHard", {
  payload: { path: Schema.String, ref: Schema.String },
  error: Schema.Union(GitError, BinaryUnavailable, SafetyRefusal)
})
export const Clean = Rpc.make("Clean", { payload: Path, error: Schema.Union(GitError, BinaryUnavailable, SafetyRefusal) })

export const AuthStatus = Rpc.make("AuthStatus", { success: Schema.String, error: HostFailure })
export const CreateDraft = Rpc.make("CreateDraft", {
  payload: { repoPath: Schema.String, head: Schema.String, base: Schema.String, title: Schema.String, body: Schema.String },
  success: Schema.Struct({ number: Schema.Number, url: Schema.String, reused: Schema.Boolean }),
  error: HostFailure
})
export const FindByHead = Rpc.make("FindByHead", {
  payload: { repoPath: Schema.String, branch: Schema.String },
  success: Schema.Option(PullRequestRef),
  error: HostFailure
})
export const View = Rpc.make("View", { payload: PullRequestAt, success: PullRequest, error: HostFailure })
export const Checks = Rpc.make("Checks", { payload: PullRequestAt, success: Schema.Array(CheckResult), error: HostFailure })
export const MarkReady = Rpc.make("MarkReady", { payload: PullRequestAt, error: HostFailure })
export const Merge = Rpc.make("Merge", {
  payload: { repoPath: Schema.String, number: Schema.Number, headSha: Schema.String },
  success: MergeMethod,
  error: HostFailure
})
export const ReviewComments = Rpc.make("ReviewComments", { payload: PullRequestAt, success: Schema.Array(ReviewComment), error: HostFailure })

export const WorkspaceEntity = Entity.make("Workspace", [
  EnsureWorktree,
  Status,
  CommitAll,
  Push,
  Diff,
  RemoveWorktree,
  ResetHard,
  Clean,
  AuthStatus,
  CreateDraft,
  FindByHead,
  View,
  Checks,
  MarkReady,
  Merge,
  ReviewComments
]).annotate(ClusterSchema.ShardGroup, (entityId) => runnerShardGroup(entityId))
