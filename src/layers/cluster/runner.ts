// `orchestrator runner`: this machine joins the cluster. Runners register in PostgreSQL
// (SqlRunnerStorage), lock their shards there, keep persisted messages in SqlMessageStorage and talk
// to each other over NodeClusterSocket; no shard manager, no home-made distribution.
import { RunnerAddress, type Sharding, ShardingConfig, SqlMessageStorage, SqlRunnerStorage } from "@effect/cluster"
import * as NodeClusterSocket from "@effect/platform-node/NodeClusterSocket"
import { SqlClient } from "@effect/sql"
import { Cause, Duration, Effect, Layer, Option, Schedule } from "effect"
import { hostname } from "node:os"
import { StoreError } from "../../domain/errors.js"
import { runnerShardGroup } from "./agentSessionEntity.js"
import { agentSessionsLayer } from "./sessionHost.js"
import { workspaceLayer } from "./workspaceHost.js"

export interface RunnerOptions {
  /** This runner's name: its shard group is `runner:<name>`. */
  readonly name: string
  /** The address other runners reach this one at. */
  readonly host: string
  readonly port: number
  /** Agents running at once on this machine (its max_concurrent_sessions). */
  readonly maxSessions: number
}

/** Shards per group: the cluster's default (300) makes every runner lock 300 rows for one group. */
const SHARDS_PER_GROUP = 16

/**
 * A killed runner's shards are free again once its locks expire:
 * 10 s rather than the library's 35 s, refreshed every 3 s.
 */
const SHARD_LOCKS = { shardLockExpiration: Duration.seconds(10), shardLockRefreshInterval: Duration.seconds(3) }

/** A BIGINT above 2^53, as the cluster's message and reply ids (snowflakes) are. */
const WIDE = "9007199254740993"

/**
 * The storage reads its ids from BIGINT columns with `String(row.id)`: exact from the driver's
 * strings, rounded from numbers (…168 read back as …170). A rounded id made a runner answer a
 * persisted request under an id no message has, and the sender waited for ever; so a client that
 * reads BIGINT as numbers (the event store's pool) is refused here, loudly.
 */
const exactBigints = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const operation = "open the cluster's storage"
  const rows = yield* sql<{ readonly n: unknown }>`SELECT ${sql.literal(WIDE)}::int8 AS n`.pipe(
    Effect.mapError((error) => new StoreError({ operation, detail: error.message }))
  )
  const read = rows[0]?.n
  if (String(read) !== WIDE) {
    return yield* new StoreError({
      operation,
      detail: `its SQL client reads BIGINT ${WIDE} as ${typeof read} ${String(read)}: the cluster's 64-bit ids would be rounded (give it clusterPostgres, not the event store's pool)`
    })
  }
})

/**
 * The cluster's SQL storage. Runners starting at once on a new database race to create its tables
 * (CREATE TABLE IF NOT EXISTS is not atomic on PostgreSQL): the loser retries and finds them made.
 */
const storage = (config: Partial<ShardingConfig.ShardingConfig["Type"]>) =>
  Layer.mergeAll(SqlMessageStorage.layer, SqlRunnerStorage.layer).pipe(
    Layer.catchAllCause((cause) => Layer.fail(Cause.squash(cause))),
    Layer.retry(Schedule.intersect(Schedule.spaced(Duration.millis(300)), Schedule.recurs(10))),
    Layer.provide(ShardingConfig.layer(config)),
    Layer.provide(Layer.effectDiscard(exactBigints))
  )

/**
 * How often a runner reads its shards' unprocessed messages from storage. A sender that does not yet
 * know which runner holds a shard (a coordinator just started, a runner just joined or came back on
 * a new port) only stores its persisted message, and the runner finds it at its next read: 1 s
 * rather than the library's 10 s. The read is one indexed query over this runner's 16 shards.
 */
const MESSAGE_POLL = { entityMessagePollInterval: Duration.seconds(1) }

/**
 * Shard locks in the storage's locks table, keyed by shard id. The advisory locks number shards by
 * the position of their group in `availableShardGroups`, so runners would need one list of every
 * runner's group; with the table each runner lists only its own, and a new runner needs no edit elsewhere.
 */
const clusterOn = (config: Partial<ShardingConfig.ShardingConfig["Type"]>, clientOnly: boolean) => {
  const full = { ...config, ...SHARD_LOCKS, ...MESSAGE_POLL, shardLockDisableAdvisory: true }
  return NodeClusterSocket.layer({ storage: "byo", clientOnly, shardingConfig: full }).pipe(Layer.provideMerge(storage(full)))
}

/** The cluster's sharding, as a runner hosting its own shard group; needs the PostgreSQL client. */
export const runnerSharding = (options: RunnerOptions): Layer.Layer<Sharding.Sharding, unknown, SqlClient.SqlClient> =>
  clusterOn(
    {
      runnerAddress: Option.some(RunnerAddress.make(options.host, options.port)),
      assignedShardGroups: [runnerShardGroup(options.name)],
      availableShardGroups: [runnerShardGroup(options.name)],
      shardsPerGroup: SHARDS_PER_GROUP
    },
    false
  )

/** A runner: the cluster's sharding with the agent-session and workspace entities of its shard group. */
export const runnerLayer = (options: RunnerOptions) =>
  Layer.merge(agentSessionsLayer(options.name, hostname(), options.maxSessions), workspaceLayer).pipe(Layer.provideMerge(runnerSharding(options)))

/** A process that sends to entities without hosting any (the coordinator, a test). */
export const clusterClient: Layer.Layer<Sharding.Sharding, unknown, SqlClient.SqlClient> = clusterOn(
  { runnerAddress: Option.none(), shardsPerGroup: SHARDS_PER_GROUP },
  true
)
