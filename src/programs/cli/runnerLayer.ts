// What `orchestrator runner` builds once its options are checked: the cluster's sharding with this
// machine's session and workspace entities, over this machine's own agents, git and gh (from its own
// config, as a single-machine run has them), and the store on the shared server. Loaded by
// runnerCommand.ts only when a runner starts.
import { FetchHttpClient } from "@effect/platform"
import * as NodeContext from "@effect/platform-node/NodeContext"
import type { Redacted } from "effect"
import { Layer } from "effect"
import { runnerLayer, type RunnerOptions } from "../../layers/cluster/runner.js"
import { clusterPostgres, makePostgres } from "../../layers/eventStore/postgres/postgresStore.js"
import { EventStoreLive } from "../../layers/eventStore/SqliteEventStore.js"
import { GhCliLive } from "../../layers/repoHost/GhCli.js"
import { GitCliLive } from "../../layers/vcs/GitCli.js"
import { AppConfig, type LoadedConfig } from "../../services/AppConfig.js"
import { ChosenHarness } from "./harnessLayer.js"

/**
 * The cluster's pool on a runner (shard locks on a connection of their own, runner heartbeats,
 * message polls, replies): a few connections even when `[database] max_connections` is 1. It is not
 * the store's pool, whose BIGINT parser would round the cluster's ids (clusterPostgres).
 */
const CLUSTER_CONNECTIONS = 4

export const runnerProcess = (config: LoadedConfig, server: Redacted.Redacted<string>, address: RunnerOptions) => {
  const database = config.settings.database
  const local = Layer.mergeAll(ChosenHarness, GitCliLive, GhCliLive).pipe(
    Layer.provide(Layer.merge(NodeContext.layer, FetchHttpClient.layer)),
    Layer.provide(Layer.succeed(AppConfig, config))
  )
  const cluster = runnerLayer(address).pipe(Layer.provide(local), Layer.provide(clusterPostgres(server, Math.max(CLUSTER_CONNECTIONS, database.max_connections))))
  // The runner's own row is the store's.
  return Layer.merge(cluster, EventStoreLive.pipe(Layer.provide(makePostgres(server, database))))
}
