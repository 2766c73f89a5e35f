// `run` as the coordinator of a cluster ([cluster] enabled): the agents, git and gh are the runners',
// reached through @effect/cluster over the shared PostgreSQL store. Loaded only when the cluster is on,
// so a single-machine run never loads the cluster's code.
import { Effect, Layer, Option } from "effect"
import { StoreUnusable } from "../../domain/storeErrors.js"
import { clusterClient } from "../../layers/cluster/runner.js"
import { databaseUrl } from "../../layers/eventStore/databaseUrl.js"
import { clusterPostgres } from "../../layers/eventStore/postgres/postgresStore.js"
import { clusterHarnessFrom } from "../../layers/harness/cluster/ClusterHarness.js"
import { harnessProviders } from "../../layers/harness/providers.js"
import { ClusterRepoHost } from "../../layers/repoHost/ClusterRepoHost.js"
import { ClusterVcs } from "../../layers/vcs/ClusterVcs.js"
import { AppConfig } from "../../services/AppConfig.js"

const noServer = new StoreUnusable({
  path: "[cluster] enabled",
  problem: "needs the shared PostgreSQL store",
  advice: "set [database] url (password in PGPASSWORD or ~/.pgpass) or ORCHESTRATOR_DATABASE_URL, the same server the runners use"
})

/** The harness, git and gh of the cluster's runners, over one cluster client. */
export const ClusterTools = Layer.unwrapEffect(
  Effect.gen(function* () {
    const config = yield* AppConfig
    const server = yield* databaseUrl(config.settings.database)
    if (Option.isNone(server)) return yield* noServer
    // Its own pool, not the store's (whose BIGINT parser would round the cluster's ids).
    const sharding = clusterClient.pipe(Layer.provide(clusterPostgres(server.value, config.settings.database.max_connections)))
    return Layer.mergeAll(clusterHarnessFrom(harnessProviders), ClusterVcs, ClusterRepoHost).pipe(Layer.provide(sharding))
  })
)
