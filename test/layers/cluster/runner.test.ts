// Two `orchestrator runner` processes (the built bin) join a cluster on a throwaway PostgreSQL; this
// process, a client of the cluster, asks an agent-session entity on each where it runs: each message
// crosses processes and is answered by the runner whose shard group the session is pinned to.
// (The whole loop across machines, with real agents and kill -9, is test/e2e/manyMachines.test.ts.)
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, Redacted, Schema } from "effect"
import type { ChildProcess } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { afterAll, beforeAll } from "vitest"
import { DatabaseSettings } from "../../../src/domain/config.js"
import { AgentSessionEntity, agentSessionEntityId } from "../../../src/layers/cluster/agentSessionEntity.js"
import { clusterClient } from "../../../src/layers/cluster/runner.js"
import { clusterPostgres } from "../../../src/layers/eventStore/postgres/postgresStore.js"
import { freePort, startPostgres, type ThrowawayPostgres } from "../../support/postgres.js"
import { type JoinedProcess, spawnJoined } from "../../support/joinedProcess.js"
import { binPath } from "../../support/runBin.js"

let server: ThrowawayPostgres
let home = ""
const runners: Array<ChildProcess> = []
beforeAll(async () => {
  server = await startPostgres()
  home = mkdtempSync(NodePath.join(tmpdir(), "orch-runner-"))
}, 60_000)
afterAll(() => {
  for (const runner of runners) runner.kill("SIGKILL")
  server.stop()
  rmSync(home, { recursive: true, force: true })
})

/** Starts `orchestrator runner --name NAME` and resolves once it says it joined (its output otherwise). */
const startRunner = async (name: string, url: string): Promise<JoinedProcess> => {
  const port = await freePort()
  const runner = spawnJoined(`runner ${name}`, process.execPath, [binPath, "runner", "--name", name, "--host", "127.0.0.1", "--port", String(port)], {
    env: { PATH: process.env.PATH ?? "", HOME: home, ORCHESTRATOR_DATABASE_URL: url },
    ready: `runner ${name} joined the cluster at 127.0.0.1:${port} (shard group runner:${name})`
  })
  runners.push(runner.child)
  await runner.joined
  return runner
}

describe("orchestrator runner", () => {
  it.live(
    "two runner processes join; an agent session's entity answers from the runner it is pinned to",
    () =>
      Effect.gen(function* () {
        const url = server.createDatabase("cluster")
        // Both at once on a new database: they race to create the cluster's tables.
        const [alpha, beta] = yield* Effect.promise(() => Promise.all([startRunner("alpha", url), startRunner("beta", url)]))
        const db = Schema.decodeUnknownSync(DatabaseSettings)({})
        // One client all along, as a coordinator has.
        const { placements, after } = yield* Effect.gen(function* () {
          const client = yield* AgentSessionEntity.client
          const placements = yield* Effect.all(
            [
              client(agentSessionEntityId("alpha", "ses-1")).Locate(),
              client(agentSessionEntityId("beta", "ses-2")).Locate(),
              client(agentSessionEntityId("alpha", "ses-3")).Locate()
            ],
            { concurrency: "unbounded" }
          )
          // The server goes down hard and comes back: both runners answer again.
          server.restart()
          const after = yield* Effect.all([client(agentSessionEntityId("alpha", "ses-4")).Locate(), client(agentSessionEntityId("beta", "ses-5")).Locate()], {
            concurrency: "unbounded"
          }).pipe(Effect.timeout(Duration.seconds(60)))
          return { placements, after }
        }).pipe(Effect.timeout(Duration.seconds(120)), Effect.provide(clusterClient.pipe(Layer.provide(clusterPostgres(Redacted.make(url), db.max_connections)))))
        expect(placements.map((p) => [p.entityId, p.runner, p.pid])).toEqual([
          ["alpha/ses-1", "alpha", alpha.child.pid],
          ["beta/ses-2", "beta", beta.child.pid],
          ["alpha/ses-3", "alpha", alpha.child.pid]
        ])
        expect(after.map((p) => [p.runner, p.pid])).toEqual([
          ["alpha", alpha.child.pid],
          ["beta", beta.child.pid]
        ])

      }),
    120_000
  )
})
