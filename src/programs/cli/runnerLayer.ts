// What `orchestrator runner` builds once its options are checked: the cluster's sharding with this
// machine's session and workspace entities, over this machine's own agents, git and gh (from its own
// config, as a single-machine run has them), and the store on the shared server. Loaded by
// runnerCommand.ts only when a runner starts.
import { FetchHttpClient } from "@effect/platform"
import * as NodeContext from "@effect/platform-node/NodeContext"
import type { Redacted } from "effect"
import { Layer } from "effect"
import { runnerLayer, type RunnerOptions } from "../../layers/cluster/runner.js"
import { makePostgres } from "../../layers/eventStore/postgres/postgresStore.js"
import { EventStoreLive } from "../../layers/eventStore/SqliteEventStore.js"
import { GhCliLive } from "../../layers/repoHost/GhCli.js"
import { GitCliLive } from "../../layers/vcs/GitCli.js"
import { AppConfig, type LoadedConfig } from "../../services/AppConfig.js"
import { ChosenHarness } from "./harnessLayer.js"

/**
 * A runner's pool: the cluster's storage (shard locks, runner heartbeats, message polls) and this
 * runner's own row share it, so it gets a few connections even when `[database] max_connections` is 1.
 */
const RUNNER_CONNECTIONS = 4

export const runnerProcess = (config: LoadedConfig, server: Redacted.Redacted<string>, address: RunnerOptions) => {
  const database = config.settings.database
  const postgres = makePostgres(server, { ...database, max_connections: Math.max(RUNNER_CONNECTIONS, database.max_connections) })
  const local = Layer.mergeAll(ChosenHarness, GitCliLive, GhCliLive).pipe(
    Layer.provide(Layer.merge(NodeContext.layer, FetchHttpClient.layer)),
    Layer.provide(Layer.succeed(AppConfig, config))
  )
  return Layer.merge(runnerLayer(address).pipe(Layer.provide(local), Layer.provide(postgres)), EventStoreLive.pipe(Layer.provide(postgres)))
}
