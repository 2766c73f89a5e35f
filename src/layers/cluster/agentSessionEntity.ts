// An agent session as an @effect/cluster entity, pinned to the runner whose disk holds its worktree:
// its id is `<runner>/<session id>` and its shard group `runner:<runner>`, a group only that runner is
// assigned, so the cluster places it there and nowhere else.
import { ClusterSchema, Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { Schema } from "effect"

/** The shard group of a runner: the one group its `orchestrator runner` process is assigned. */
export const runnerShardGroup = (runner: string) => `runner:${runner}`

/** Runner names: what a shard group and an entity id can carry unambiguously. */
export const RunnerName = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/),
  Schema.annotations({ description: "letters, digits, '.', '_' or '-' (at most 63), starting with a letter or digit" })
)

/** The entity id of a session on a runner. */
export const agentSessionEntityId = (runner: string, sessionId: string) => `${runner}/${sessionId}`

/** The runner an entity id names (the part before the first `/`). */
const runnerOf = (entityId: string) => entityId.slice(0, Math.max(0, entityId.indexOf("/")))

/** Where a session's entity lives: the runner, its host and process (what "runner offline" would watch). */
export class SessionPlacement extends Schema.Class<SessionPlacement>("SessionPlacement")({
  entityId: Schema.String,
  runner: Schema.String,
  host: Schema.String,
  pid: Schema.Number
}) {}

/** Where is this session hosted: answered by the entity itself, on the runner that hosts it. */
export const Locate = Rpc.make("Locate", { success: SessionPlacement })

export const AgentSessionEntity = Entity.make("AgentSession", [Locate]).annotate(ClusterSchema.ShardGroup, (entityId) =>
  runnerShardGroup(runnerOf(entityId))
)
