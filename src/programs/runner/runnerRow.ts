// A runner's row in the shared store: who it is, which projects it has and how many agents it runs at
// once; refreshed every few seconds, so a coordinator places work on runners that are there and the
// screens show a runner that stopped answering as offline.
import { Clock, Effect, Schedule } from "effect"
import { hostname } from "node:os"
import { RUNNER_HEARTBEAT_MS, RunnerRow } from "../../domain/runner.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventStore } from "../../services/EventStore.js"

/** Writes this runner's row now, then keeps it fresh until the scope closes. */
export const keepRunnerRow = (name: string) =>
  Effect.gen(function* () {
    const config = yield* AppConfig
    const store = yield* EventStore
    const startedAt = yield* Clock.currentTimeMillis
    const write = Effect.flatMap(Clock.currentTimeMillis, (now) =>
      store.recordRunner(
        new RunnerRow({
          name,
          host: hostname(),
          pid: process.pid,
          projects: config.settings.projects,
          maxSessions: config.settings.runtime.max_concurrent_sessions,
          startedAt,
          seenAt: now
        })
      )
    )
    yield* write
    // A failed refresh (the server restarting) is tried again at the next beat.
    yield* write.pipe(
      Effect.catchAll((error) => Effect.logWarning(`runner ${name}: could not refresh its row: ${error.message}`)),
      Effect.repeat(Schedule.spaced(RUNNER_HEARTBEAT_MS)),
      Effect.forkScoped
    )
  })
