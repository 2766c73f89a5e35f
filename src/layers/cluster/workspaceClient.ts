// A coordinator's way to a runner's workspace entity: the runner named in a located path
// (`alpha:/srv/repo`), with the path as that runner sees it.
import { ClusterError } from "@effect/cluster"
import { Effect, Option } from "effect"
import { locatePath, parseLocatedPath } from "../../domain/runner.js"
import { remoteInterruptAs, stoppedCall } from "./stoppedCall.js"
import { WorkspaceEntity } from "./workspaceEntity.js"

export type WorkspaceClient = ReturnType<Effect.Effect.Success<typeof WorkspaceEntity.client>>

export interface OnRunner {
  readonly runner: string
  /** The path on the runner's disk. */
  readonly path: string
  readonly client: WorkspaceClient
  /** A path of that runner's disk, located again for the coordinator's records. */
  readonly located: (path: string) => string
}

/** The workspace of the runner `located` names, or the failure `notOnRunner` builds. */
export const makeWorkspaces = Effect.map(WorkspaceEntity.client, (clientFor) => {
  const clients = new Map<string, WorkspaceClient>()
  return <E>(located: string, notOnRunner: (path: string) => E): Effect.Effect<OnRunner, E> =>
    Option.match(parseLocatedPath(located), {
      onNone: () => Effect.fail(notOnRunner(located)),
      onSome: ({ runner, path }) => {
        const client = clients.get(runner) ?? clientFor(runner)
        clients.set(runner, client)
        return Effect.succeed({ runner, path, client, located: (other: string) => locatePath(runner, other) })
      }
    })
})

/** What the cluster itself can fail with on a send (besides the entity's own errors). */
export type ClusterFailure = ClusterError.MailboxFull | ClusterError.AlreadyProcessingMessage | ClusterError.PersistenceError

const isClusterFailure = <E>(error: E | ClusterFailure): error is ClusterFailure =>
  error instanceof ClusterError.MailboxFull || error instanceof ClusterError.AlreadyProcessingMessage || error instanceof ClusterError.PersistenceError

/** The cluster's own failures as the port's error (`as` gets the words: runner and cause). */
export const clusterFailureAs =
  <F>(runner: string, as: (detail: string) => F) =>
  <A, E>(effect: Effect.Effect<A, E | ClusterFailure>): Effect.Effect<A, Exclude<E, ClusterFailure> | F> =>
    Effect.catchIf(effect, isClusterFailure, (error) => Effect.fail(as(`runner ${runner}: ${error.message}`))).pipe(
      remoteInterruptAs(() => as(`runner ${runner}: ${stoppedCall}`))
    )
