// The RepoHost port for a coordinator: gh runs on the runner whose clone names the GitHub repository
// (the runner in the located repository path), through its workspace entity.
import type { Sharding } from "@effect/cluster"
import { Effect, Layer } from "effect"
import { RepoHostError, UNANSWERED_EXIT } from "../../domain/vcsErrors.js"
import { RepoHost } from "../../services/RepoHost.js"
import { type ClusterFailure, clusterFailureAs, makeWorkspaces, type OnRunner } from "../cluster/workspaceClient.js"

/** gh's exit code for a failure of its own; -1 marks a path on no runner, UNANSWERED_EXIT a call the cluster did not carry through. */
const NOT_ON_RUNNER_EXIT = -1

const make = Effect.gen(function* () {
  const workspace = yield* makeWorkspaces
  const notOnRunner = (operation: string) => (path: string) =>
    new RepoHostError({ operation, exitCode: NOT_ON_RUNNER_EXIT, detail: `${path} is not on a runner (expected runner:/path)` })

  const on = <A, E>(located: string, operation: string, call: (at: OnRunner) => Effect.Effect<A, E | ClusterFailure>) =>
    Effect.flatMap(workspace(located, notOnRunner(operation)), (at) =>
      clusterFailureAs(at.runner, (detail) => new RepoHostError({ operation, exitCode: UNANSWERED_EXIT, detail }))(call(at))
    )

  return RepoHost.of({
    authStatus: Effect.succeed("gh runs on the cluster's runners (see `orchestrator doctor` on each)"),
    createDraft: (request) => on(request.repoPath, "pr create", (at) => at.client.CreateDraft({ ...request, repoPath: at.path })),
    findByHead: (repoPath, branch) => on(repoPath, "pr list", (at) => at.client.FindByHead({ repoPath: at.path, branch })),
    view: (repoPath, number) => on(repoPath, "pr view", (at) => at.client.View({ repoPath: at.path, number })),
    checks: (repoPath, number) => on(repoPath, "pr checks", (at) => at.client.Checks({ repoPath: at.path, number })),
    markReady: (repoPath, number) => on(repoPath, "pr ready", (at) => at.client.MarkReady({ repoPath: at.path, number })),
    merge: (request) => on(request.repoPath, "pr merge", (at) => at.client.Merge({ ...request, repoPath: at.path })),
    reviewComments: (repoPath, number) => on(repoPath, "pr comments", (at) => at.client.ReviewComments({ repoPath: at.path, number }))
  })
})

/** gh on the cluster's runners; needs the cluster's sharding. */
export const ClusterRepoHost: Layer.Layer<RepoHost, never, Sharding.Sharding> = Layer.effect(RepoHost, make)
