import { Cause, Clock, Duration, Effect, Exit, type Scope } from "effect"
import type { TaskDiagnostics, TaskSpec } from "../../services/Scheduler.js"
import { afterFailure } from "./failurePolicy.js"

interface TaskState {
  readonly spec: TaskSpec
  readonly every: Duration.Duration
  nextRunAt: number | null
  running: boolean
  runs: number
  failures: number
  consecutive: number
  retriesUsed: number
  lastError: string | null
  lastRunAt: number | null
}

const MAX_ERROR_CHARS = 500

const describeCause = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.failureOption(cause)
  const error = failure._tag === "Some" ? failure.value : Cause.squash(cause)
  const text =
    typeof error === "object" && error !== null && "message" in error && typeof error.message === "string"
      ? error.message
      : String(error)
  return text.slice(0, MAX_ERROR_CHARS)
}

/**
 * One loop owns every timed task: it sleeps until the earliest due time (or until woken by a
 * change), starts the due tasks in `scope`, and reschedules each when it finishes. A task never
 * overlaps itself. State is mutated only in synchronous sections.
 */
export const makeTimedTasks = (scope: Scope.Scope) =>
  Effect.gen(function* () {
    const tasks = new Map<string, TaskState>()
    const wake = yield* Effect.makeLatch(false)

    const finish = (name: string, state: TaskState, exit: Exit.Exit<void, unknown>) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.sync(() => {
          // A task replaced or cancelled while it ran: its old run changes nothing.
          if (tasks.get(name) !== state) return
          state.running = false
          state.runs++
          if (Exit.isSuccess(exit)) {
            state.consecutive = 0
            state.retriesUsed = 0
            state.nextRunAt = now + Duration.toMillis(state.every)
          } else {
            state.failures++
            state.consecutive++
            state.lastError = describeCause(exit.cause)
            const next = afterFailure(state.spec.policy, state.every, state.consecutive, state.retriesUsed)
            if (next._tag === "Disable") {
              state.nextRunAt = null
            } else {
              state.retriesUsed = next.retriesUsed
              state.nextRunAt = now + Duration.toMillis(next.delay)
            }
          }
          wake.unsafeOpen()
        })
      )

    const start = (name: string, state: TaskState, now: number) => {
      state.running = true
      state.lastRunAt = now
      state.nextRunAt = null
      const timeout = Duration.decode(state.spec.timeout ?? state.every)
      const run = state.spec.run.pipe(
        Effect.timeoutFail({ duration: timeout, onTimeout: () => new Error(`timed out after ${Duration.format(timeout)}`) }),
        Effect.exit,
        Effect.flatMap((exit) => finish(name, state, exit))
      )
      return Effect.forkIn(run, scope)
    }

    const step = Effect.gen(function* () {
      wake.unsafeClose()
      const now = yield* Clock.currentTimeMillis
      let earliest: number | null = null
      for (const [name, state] of tasks) {
        if (state.running || state.nextRunAt === null) continue
        if (state.nextRunAt <= now) yield* start(name, state, now)
        else earliest = earliest === null ? state.nextRunAt : Math.min(earliest, state.nextRunAt)
      }
      if (earliest === null) yield* wake.await
      else yield* Effect.raceFirst(Effect.sleep(Duration.millis(earliest - now)), wake.await)
    })

    yield* Effect.forkIn(Effect.forever(step), scope)

    const register = (spec: TaskSpec) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.sync(() => {
          const every = Duration.decode(spec.every)
          tasks.set(spec.name, {
            spec,
            every,
            nextRunAt: now + Duration.toMillis(spec.firstAfter ?? every),
            running: false,
            runs: 0,
            failures: 0,
            consecutive: 0,
            retriesUsed: 0,
            lastError: null,
            lastRunAt: null
          })
          wake.unsafeOpen()
        })
      )

    const cancel = (name: string) =>
      Effect.sync(() => {
        tasks.delete(name)
        wake.unsafeOpen()
      })

    const trigger = (name: string) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.sync(() => {
          const state = tasks.get(name)
          if (state === undefined || state.running) return
          state.consecutive = 0
          state.nextRunAt = now
          wake.unsafeOpen()
        })
      )

    const diagnostics = Effect.sync((): ReadonlyArray<TaskDiagnostics> =>
      Array.from(tasks.entries(), ([name, s]) => ({
        name,
        status: s.running ? "running" : s.nextRunAt === null ? "disabled" : "scheduled",
        runs: s.runs,
        failures: s.failures,
        consecutiveFailures: s.consecutive,
        lastError: s.lastError,
        lastRunAt: s.lastRunAt,
        nextRunAt: s.nextRunAt
      }))
    )

    return { register, cancel, trigger, diagnostics }
  })
