import { Console, Duration, Effect, Fiber, Option, Schedule } from "effect"
import { isTerminalSessionState } from "../../domain/session.js"
import { isTerminalWorkflowState } from "../../domain/workflow.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventStore } from "../../services/EventStore.js"
import { Scheduler } from "../../services/Scheduler.js"
import { SessionRuntime } from "../../services/SessionRuntime.js"
import type { Workflow } from "../../services/Workflow.js"
import { describeSync, syncTickets } from "../tickets/syncTickets.js"
import { dispatchRound } from "./dispatch.js"
import { followLog } from "./headlessLog.js"
import { logfmt } from "./logfmt.js"
import { startEngine } from "./startEngine.js"

export interface HeadlessOptions {
  /** Start tickets in the configured states by priority, up to `max_concurrent_sessions`. */
  readonly auto: boolean
  /** Exit once nothing is in flight and nothing is left to start (for scripts and CI). */
  readonly untilIdle: boolean
  readonly dispatchEvery: Duration.DurationInput
}

/** Nothing in flight: no live session and every work item finished or waiting on nobody. */
const idle = Effect.gen(function* () {
  const store = yield* EventStore
  const runtime = yield* SessionRuntime
  const live = (yield* runtime.sessions).some((view) => !isTerminalSessionState(view.state))
  const open = (yield* store.workItems).some((item) => !isTerminalWorkflowState(item.state))
  return !live && !open
})

const stopSignals = ["SIGINT", "SIGTERM"] as const

/**
 * Which signal stopped the run, for its last line: the runtime turns both into an interruption and
 * says no more. Listening only records the name; stopping stays the runtime's.
 */
const recordStopSignal = Effect.gen(function* () {
  const received = { signal: "interrupted" }
  const listeners = stopSignals.map((signal) => [signal, () => void (received.signal = signal)] as const)
  yield* Effect.acquireRelease(
    Effect.sync(() => listeners.forEach(([signal, listener]) => process.on(signal, listener))),
    () => Effect.sync(() => listeners.forEach(([signal, listener]) => process.off(signal, listener)))
  )
  return received
})

/**
 * `orchestrator run --headless`: the engine without a screen, one logfmt line per meaningful event
 * on stdout. Ends on SIGINT/SIGTERM (the scope closes, sessions and the store writer finish cleanly)
 * or, with `untilIdle`, once a dispatch round finds nothing to do.
 */
export const runHeadless = (options: HeadlessOptions) =>
  Effect.scoped(
    Effect.gen(function* () {
      const signal = yield* recordStopSignal
      return yield* Effect.onInterrupt(running(options), () =>
        Effect.gen(function* () {
          const lastSeq = yield* Effect.orElseSucceed((yield* EventStore).lastSeq, () => null)
          yield* Console.log(logfmt([["event", "stopped"], ["reason", signal.signal], ["last_seq", lastSeq]]))
        })
      )
    })
  )

/** The run itself; its scope (engine, sessions, log) is closed before the stopped line is printed. */
const running = (options: HeadlessOptions) =>
  Effect.scoped(
    Effect.gen(function* () {
      const config = yield* AppConfig
      const store = yield* EventStore
      const scheduler = yield* Scheduler
      const from = yield* store.lastSeq
      if (config.ticketingFallback !== undefined) yield* Console.error(`notice: ${config.ticketingFallback}`)
      const logger = yield* Effect.forkScoped(followLog(from))
      const engine = yield* startEngine
      yield* Console.log(
        logfmt([
          ["event", "started"],
          ["store", config.settings.event_store_path],
          ["harness", config.settings.harness_provider],
          ["tickets", config.settings.ticketing_provider],
          ["resumed", engine.rehydrated.resumed.length],
          ["crashed", engine.rehydrated.crashed.length],
          ["auto", options.auto ? "yes" : "no"]
        ])
      )
      const finished = yield* Effect.makeLatch(false)
      if (options.auto) {
        // The first round must see the tracker's tickets: otherwise --until-idle would find nothing
        // to do and stop before the periodic sync ever ran.
        yield* syncTickets().pipe(
          Effect.flatMap((report) => Console.log(logfmt([["event", "tickets_synced"], ["summary", describeSync(report)]]))),
          Effect.catchAll((error) => Console.log(logfmt([["event", "tickets_sync_failed"], ["reason", error.message]])))
        )
        yield* scheduler.register({
          name: "dispatch",
          every: options.dispatchEvery,
          firstAfter: Duration.zero,
          // A round starts agents (worktree, process, first turn): seconds each. The default timeout
          // (the interval) cut rounds off mid-start, leaving a spawned session nobody finished.
          timeout: Duration.minutes(5),
          policy: { _tag: "Backoff", initial: Duration.seconds(5), cap: Duration.minutes(5) },
          run: Effect.gen(function* () {
            const round = yield* dispatchRound
            for (const skip of round.skipped) yield* Console.log(logfmt([["event", "dispatch_skipped"], ["ticket", skip.ticket], ["reason", skip.reason]]))
            if (options.untilIdle && round.started.length === 0 && (yield* idle)) yield* finished.open
          }).pipe(Effect.provide(yield* Effect.context<AppConfig | EventStore | SessionRuntime | Workflow>()))
        })
      } else if (options.untilIdle) {
        yield* Effect.forkScoped(
          Effect.repeat(
            Effect.flatMap(idle, (done) => (done ? finished.open : Effect.void)),
            Schedule.spaced(Duration.seconds(1))
          )
        )
      }
      yield* finished.await
      yield* engine.writer.flush
      yield* Effect.sleep(Duration.millis(300))
      yield* Fiber.interrupt(logger)
      yield* Console.log(logfmt([["event", "stopped"], ["reason", "nothing left to do"], ["last_seq", yield* store.lastSeq]]))
      return Option.none<never>()
    })
  )
