// The Vcs port for a coordinator: git runs on the runner whose disk holds the repository, through its
// workspace entity. Paths are located (`alpha:/srv/wt/ENG-1-x`) on the way in and out.
import type { Sharding } from "@effect/cluster"
import { Effect, Layer } from "effect"
import { GitError } from "../../domain/vcsErrors.js"
import { Vcs } from "../../services/Vcs.js"
import { type ClusterFailure, clusterFailureAs, makeWorkspaces, type OnRunner } from "../cluster/workspaceClient.js"

const make = Effect.gen(function* () {
  const workspace = yield* makeWorkspaces
  const notOnRunner = (operation: string) => (path: string) =>
    new GitError({ operation, detail: `${path} is not on a runner (expected runner:/path)` })

  /** Runs `call` on the runner of `located`; the cluster's own failures become GitError. */
  const on = <A, E>(located: string, operation: string, call: (at: OnRunner) => Effect.Effect<A, E | ClusterFailure>) =>
    Effect.flatMap(workspace(located, notOnRunner(operation)), (at) =>
      clusterFailureAs(at.runner, (detail) => new GitError({ operation, detail }))(call(at))
    )

  return Vcs.of({
    discoverRepositories: () =>
      Effect.fail(new GitError({ operation: "discover repositories", detail: "the repositories are on the runners: map projects in each runner's [projects]" })),
    ensureWorktree: (request) =>
      on(request.repoPath, "worktree add", (at) =>
        Effect.map(at.client.EnsureWorktree({ ...request, repoPath: at.path }), (info) => ({
          ...info,
          repoPath: at.located(info.repoPath),
          path: at.located(info.path)
        }))
      ),
    status: (path) => on(path, "status", (at) => at.client.Status({ path: at.path })),
    commitAll: (path, message) => on(path, "commit", (at) => at.client.CommitAll({ path: at.path, message })),
    push: (path, options) => on(path, "push", (at) => at.client.Push({ path: at.path, force: options.force })),
    diff: (path, baseBranch) => on(path, "diff", (at) => at.client.Diff({ path: at.path, baseBranch })),
    removeWorktree: (request) =>
      on(request.path, "worktree remove", (at) =>
        Effect.flatMap(workspace(request.repoPath, notOnRunner("worktree remove")), (repo) =>
          at.client.RemoveWorktree({ ...request, repoPath: repo.path, path: at.path })
        )
      ),
    resetHard: (path, ref) => on(path, "reset", (at) => at.client.ResetHard({ path: at.path, ref })),
    clean: (path) => on(path, "clean", (at) => at.client.Clean({ path: at.path }))
  })
})

/** git on the cluster's runners; needs the cluster's sharding. */
export const ClusterVcs: Layer.Layer<Vcs, never, Sharding.Sharding> = Layer.effect(Vcs, make)
