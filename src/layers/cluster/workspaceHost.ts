// The runner's side of its workspace entity: git and gh on this machine, through the same Vcs and
// RepoHost layers a single-machine run uses (the `[git]` safety flags of this runner's config apply).
import { Effect } from "effect"
import { RepoHost } from "../../services/RepoHost.js"
import { Vcs } from "../../services/Vcs.js"
import { WorkspaceEntity } from "./workspaceEntity.js"

const handlers = Effect.gen(function* () {
  const vcs = yield* Vcs
  const host = yield* RepoHost
  return WorkspaceEntity.of({
    EnsureWorktree: ({ payload }) => vcs.ensureWorktree(payload),
    Status: ({ payload }) => vcs.status(payload.path),
    CommitAll: ({ payload }) => vcs.commitAll(payload.path, payload.message),
    Push: ({ payload }) => vcs.push(payload.path, { force: payload.force }),
    Diff: ({ payload }) => vcs.diff(payload.path, payload.baseBranch),
    RemoveWorktree: ({ payload }) => vcs.removeWorktree(payload),
    ResetHard: ({ payload }) => vcs.resetHard(payload.path, payload.ref),
    Clean: ({ payload }) => vcs.clean(payload.path),
    AuthStatus: () => host.authStatus,
    CreateDraft: ({ payload }) => host.createDraft(payload),
    FindByHead: ({ payload }) => host.findByHead(payload.repoPath, payload.branch),
    View: ({ payload }) => host.view(payload.repoPath, payload.number),
    Checks: ({ payload }) => host.checks(payload.repoPath, payload.number),
    MarkReady: ({ payload }) => host.markReady(payload.repoPath, payload.number),
    Merge: ({ payload }) => host.merge(payload),
    ReviewComments: ({ payload }) => host.reviewComments(payload.repoPath, payload.number)
  })
})

/** This runner's workspace entity; git and gh calls run side by side as on a single machine. */
export const workspaceLayer = WorkspaceEntity.toLayer(handlers, { concurrency: "unbounded" })
