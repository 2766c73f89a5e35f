import { Duration, Effect, Option } from "effect"
import { isTerminalSessionState } from "../../domain/session.js"
import { isTerminalWorkflowState } from "../../domain/workflow.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventStore } from "../../services/EventStore.js"
import type { RepoHost } from "../../services/RepoHost.js"
import type { Ticketing } from "../../services/Ticketing.js"
import type { Vcs } from "../../services/Vcs.js"
import { Scheduler } from "../../services/Scheduler.js"
import { SessionRuntime } from "../../services/SessionRuntime.js"
import { makeItemFailures } from "../prPipeline/itemFailures.js"
import { prPipelineTick } from "../prPipeline/pipeline.js"
import { rehydrate, type RehydrateReport } from "./rehydrate.js"
import { defaultStoreWriterOptions, startStoreWriter, type StoreWriter } from "../storeWriter/storeWriter.js"
import { describeSync, syncTickets } from "../tickets/syncTickets.js"
import { agentChannel } from "./agentChannel.js"
import { autoAdvance } from "./autoAdvance.js"
import { resumeLostTurns } from "./lostTurns.js"
import { repairTrackerMirror } from "../workflow/trackerMirror.js"

export interface Engine {
  readonly writer: StoreWriter
  readonly rehydrated: RehydrateReport
}

/**
 * Starts the background work of a run, for as long as the scope lasts: the store writer first (so
 * nothing is published before it listens), then the sessions of the last run, then the timed tasks
 * (PR pipeline, ticket sync) on the scheduler and the auto-advance watcher.
 */
export const startEngine = Effect.flatMap(AppConfig, (config) =>
  Effect.flatMap(startStoreWriter(defaultStoreWriterOptions(config.settings.database.chunk_event_flush_ms)), startEngineWork)
)

/**
 * Everything of `startEngine` after the store writer listens: the screen draws its first frame in
 * between and runs this behind it (it reads the live sessions and resumes them: seconds on a slow harness).
 */
export const startEngineWork = (writer: StoreWriter) => Effect.gen(function* () {
  const config = yield* AppConfig
  const store = yield* EventStore
  const runtime = yield* SessionRuntime
  const scheduler = yield* Scheduler
  const settings = config.settings

  const before = yield* store.sessions({ live: true })
  const rehydrated = yield* rehydrate({ approvalPolicy: settings.runtime.approval_policy, sandbox: settings.runtime.sandbox })

  // Timed tasks run on the scheduler's fiber: they carry the services they need with them.
  const context = yield* Effect.context<AppConfig | EventStore | RepoHost | Vcs | Ticketing>()
  const channel = agentChannel(store, runtime)
  const pipelineFailures = yield* makeItemFailures(settings.runtime.max_retry_backoff_secs * 1000)
  yield* scheduler.register({
    name: "pr-pipeline",
    every: Duration.seconds(settings.runtime.pr_pipeline_poll_interval_secs),
    firstAfter: Duration.seconds(1),
    // Pushes, merges and cleanups must not be cut off at the poll interval (the default timeout).
    timeout: Duration.minutes(5),
    policy: { _tag: "Backoff", initial: Duration.seconds(10), cap: Duration.seconds(settings.runtime.max_retry_backoff_secs) },
    run: Effect.provide(prPipelineTick(channel, pipelineFailures), context)
  })
  if (settings.ticketing_provider !== "ticketing.local") {
    yield* scheduler.register({
      name: "ticket-sync",
      every: Duration.seconds(settings.tracker.sync_interval_secs),
      firstAfter: Duration.seconds(1),
      policy: { _tag: "Backoff", initial: Duration.seconds(30), cap: Duration.minutes(30) },
      // Debug only: a note every sync interval would drown the headless log and scribble on the screen;
      // an incomplete listing is worth a warning every time, since nothing is unlisted then.
      run: Effect.provide(
        Effect.flatMap(syncTickets(), (report) => (report.complete ? Effect.logDebug(describeSync(report)) : Effect.logWarning(describeSync(report)))),
        context
      )
    })
  }
  // A session whose work item finished (merged outside, auto-merged, abandoned) has nothing left to
  // do: it ends as Done and frees its slot. Each stop waits up to the runtime's kill grace for the
  // agent's last events, so a run may take longer than the interval.
  yield* scheduler.register({
    name: "finish-sessions",
    every: Duration.seconds(2),
    timeout: Duration.seconds(30),
    policy: { _tag: "Retry", times: 1, delay: Duration.seconds(2) },
    run: Effect.gen(function* () {
      for (const view of yield* runtime.sessions) {
        if (isTerminalSessionState(view.state)) continue
        const row = yield* store.session(view.sessionId)
        const workItemId = Option.flatMap(row, (r) => Option.fromNullable(r.workItemId))
        if (Option.isNone(workItemId)) continue
        const item = yield* store.workItem(workItemId.value)
        if (Option.isSome(item) && isTerminalWorkflowState(item.value.state)) {
          // Ended meanwhile (SessionNotLive): nothing left to stop.
          yield* Effect.ignore(runtime.finish(view.sessionId, `its work item is ${item.value.state}`))
        }
      }
    })
  })
  // In the background: the screen's first frame never waits for the tracker.
  yield* Effect.forkScoped(
    repairTrackerMirror.pipe(
      Effect.catchAll((error) => Effect.logWarning(`tracker repair: ${error.message}`)),
      Effect.provide(context)
    )
  )
  yield* Effect.forkScoped(autoAdvance)
  // After auto-advance listens, so the repeated turn's completion moves the work on.
  yield* Effect.yieldNow()
  yield* resumeLostTurns(before, rehydrated.resumed)
  return { writer, rehydrated } satisfies Engine
})
