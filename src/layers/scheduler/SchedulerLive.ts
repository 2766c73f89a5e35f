import { Effect, Layer } from "effect"
import { AppConfig } from "../../services/AppConfig.js"
import { Scheduler } from "../../services/Scheduler.js"
import { makeSessionSlots } from "./sessionSlots.js"
import { makeTimedTasks } from "./timedTasks.js"

export interface SchedulerOptions {
  readonly maxConcurrentSessions: number
  /** Starts that may wait for a slot before new ones are refused. */
  readonly maxWaitingStarts: number
}

/** Lives as long as the surrounding scope: closing it stops the loop and every running task. */
export const makeScheduler = (options: SchedulerOptions) =>
  Effect.gen(function* () {
    const timed = yield* makeTimedTasks
    const slots = yield* makeSessionSlots(options.maxConcurrentSessions, options.maxWaitingStarts)
    return Scheduler.of({
      register: timed.register,
      cancel: timed.cancel,
      trigger: timed.trigger,
      diagnostics: timed.diagnostics,
      acquireSessionSlot: slots.acquire,
      slots: slots.diagnostics
    })
  })

const DEFAULT_MAX_WAITING_STARTS = 256

export const schedulerLayer = (options: SchedulerOptions) => Layer.scoped(Scheduler, makeScheduler(options))

export const SchedulerLive = Layer.scoped(
  Scheduler,
  Effect.flatMap(AppConfig, (config) =>
    makeScheduler({
      maxConcurrentSessions: config.settings.runtime.max_concurrent_sessions,
      maxWaitingStarts: DEFAULT_MAX_WAITING_STARTS
    })
  )
)
