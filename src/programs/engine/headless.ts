import { Clock, Console, Duration, Effect, Fiber, Option, Ref, Schedule } from "effect"
import { CommandFailed } from "../../domain/errors.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventStore } from "../../services/EventStore.js"
import { Scheduler } from "../../services/Scheduler.js"
import { SessionRuntime } from "../../services/SessionRuntime.js"
import type { Workflow } from "../../services/Workflow.js"
import { describeSync, syncTickets } from "../tickets/syncTickets.js"
import { dispatchRound } from "./dispatch.js"
import { followLog } from "./headlessLog.js"
import { logfmt } from "./logfmt.js"
import { makeModelLimitPause } from "./modelLimits.js"
import { makeStartAttempts } from "./startAttempts.js"
import { startEngine } from "./startEngine.js"
import { progress, type StuckItem } from "./stuck.js"

export interface HeadlessOptions {
  /** Start tickets in the configured states by priority, up to `max_concurrent_sessions`. */
  readonly auto: boolean
  /** Exit once nothing is in flight and nothing is left to start (for scripts and CI). */
  readonly untilIdle: boolean
  readonly dispatchEvery: Duration.DurationInput
}

/** The first sync's further tries: 1, 2, 4 and 8 s apart. */
const FIRST_SYNC_RETRY = Schedule.intersect(Schedule.exponential(Duration.seconds(1)), Schedule.recurs(4))

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
 * or, with `untilIdle`, once nothing can move any more: exit 0 when every work item finished, 1
 * naming each item that waits on the person (and why), 1 when the first ticket sync fails.
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
      const stuck = yield* Ref.make<ReadonlyArray<StuckItem>>([])
      // Stuck only counts once it held through two rounds of the pipeline and of dispatch: what the
      // inbox asks may still be settled by them (a draft marked ready under auto_merge, say).
      const runtimeSettings = config.settings.runtime
      const graceMs = 2000 * Math.max(runtimeSettings.pr_pipeline_poll_interval_secs, runtimeSettings.dispatch_interval_secs)
      const stuckSince = yield* Ref.make<{ readonly key: string; readonly at: number } | undefined>(undefined)
      /** Opens `finished` once nothing can move; remembers what waits on the person. */
      const settleIfIdle = Effect.gen(function* () {
        const now = yield* progress(options.auto)
        if (now._tag === "Moving") return yield* Ref.set(stuckSince, undefined)
        if (now._tag === "Stuck") {
          const key = now.items.map((item) => `${item.ticket} ${item.state} ${item.why}`).join("\n")
          const at = yield* Clock.currentTimeMillis
          const since = yield* Ref.get(stuckSince)
          if (since === undefined || since.key !== key) return yield* Ref.set(stuckSince, { key, at })
          if (at - since.at < graceMs) return
          yield* Ref.set(stuck, now.items)
        }
        yield* finished.open
      })
      if (options.auto) {
        // The first round must see the tracker's tickets: otherwise --until-idle would find nothing
        // to do and stop before the periodic sync ever ran. A script asking for --until-idle is told
        // when that sync fails, rather than finding "nothing to do". A passing failure (the database
        // restarting, the tracker busy) is tried again for about 15 s first.
        const synced = yield* Effect.either(syncTickets().pipe(Effect.retry(FIRST_SYNC_RETRY)))
        if (synced._tag === "Right") yield* Console.log(logfmt([["event", "tickets_synced"], ["summary", describeSync(synced.right)]]))
        else {
          yield* Console.log(logfmt([["event", "tickets_sync_failed"], ["reason", synced.left.message]]))
          if (options.untilIdle) return yield* new CommandFailed({ summary: `the ticket sync failed: ${synced.left.message}` })
        }
        const attempts = yield* makeStartAttempts(config.settings.runtime.max_retry_backoff_secs * 1000)
        const limits = yield* makeModelLimitPause(config.settings.runtime.max_retry_backoff_secs * 1000)
        yield* scheduler.register({
          name: "dispatch",
          every: options.dispatchEvery,
          firstAfter: Duration.zero,
          // A round starts agents (worktree, process, first turn): seconds each. The default timeout
          // (the interval) cut rounds off mid-start, leaving a spawned session nobody finished.
          timeout: Duration.minutes(5),
          policy: { _tag: "Backoff", initial: Duration.seconds(5), cap: Duration.minutes(5) },
          run: Effect.gen(function* () {
            const round = yield* dispatchRound(attempts, limits)
            for (const skip of round.skipped) yield* Console.log(logfmt([["event", "dispatch_skipped"], ["ticket", skip.ticket], ["reason", skip.reason]]))
            if (options.untilIdle && round.started.length === 0) yield* settleIfIdle
          }).pipe(Effect.provide(yield* Effect.context<AppConfig | EventStore | SessionRuntime | Workflow>()))
        })
      } else if (options.untilIdle) {
        yield* Effect.forkScoped(Effect.repeat(settleIfIdle, Schedule.spaced(Duration.seconds(1))))
      }
      yield* finished.await
      yield* engine.writer.flush
      yield* Effect.sleep(Duration.millis(300))
      yield* Fiber.interrupt(logger)
      const waiting = yield* Ref.get(stuck)
      const lastSeq = yield* store.lastSeq
      if (waiting.length === 0) {
        yield* Console.log(logfmt([["event", "stopped"], ["reason", "nothing left to do"], ["last_seq", lastSeq]]))
        return Option.none<never>()
      }
      for (const item of waiting) yield* Console.log(logfmt([["event", "stuck"], ["ticket", item.ticket], ["state", item.state], ["why", item.why]]))
      yield* Console.log(logfmt([["event", "stopped"], ["reason", "nothing can move"], ["stuck", waiting.length], ["last_seq", lastSeq]]))
      return yield* new CommandFailed({
        summary: `${waiting.length} work item(s) cannot move without you: ${waiting.map((item) => `${item.ticket} (${item.state}): ${item.why}`).join("; ")}`
      })
    })
  )
