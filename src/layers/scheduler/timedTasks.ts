import { Cause, Clock, Duration, Effect, Exit, FiberMap, type Scope } from "effect"
import type { TaskDiagnostics, TaskSpec } from "../../services/Scheduler.js"
import { afterFailure } from "./failurePolicy.js"

/** One task's figures; written by its own fiber, and by `trigger` while it waits. */
interface TaskState {
  readonly spec: TaskSpec
  readonly every: Duration.Duration
  /** Opened by `trigger` to cut the wait short; closed when a run starts. */
  readonly wake: Effect.Latch
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

/** Runs the task once; the answer is the wait before the next run, or null when the policy disables it. */
const runOnce = (state: TaskState) =>
  Effect.gen(function* () {
    state.running = true
    state.wake.unsafeClose()
    state.lastRunAt = yield* Clock.currentTimeMillis
    state.nextRunAt = null
    const timeout = Duration.decode(state.spec.timeout ?? state.every)
    const exit = yield* state.spec.run.pipe(
      Effect.timeoutFail({ duration: timeout, onTimeout: () => new Error(`timed out after ${Duration.format(timeout)}`) }),
      Effect.exit
    )
    state.running = false
    state.runs++
    if (Exit.isSuccess(exit)) {
      state.consecutive = 0
      state.retriesUsed = 0
      return state.every
    }
    state.failures++
    state.consecutive++
    state.lastError = describeCause(exit.cause)
    const next = afterFailure(state.spec.policy, state.every, state.consecutive, state.retriesUsed)
    if (next._tag === "Disable") return null
    state.retriesUsed = next.retriesUsed
    return next.delay
  })

/** A task's life: wait (for the time, or a trigger; a disabled task only for a trigger), run, again. */
const taskLoop = (state: TaskState, first: Duration.Duration) =>
  Effect.gen(function* () {
    let wait: Duration.Duration | null = first
    while (true) {
      const now = yield* Clock.currentTimeMillis
      state.nextRunAt = wait === null ? null : now + Duration.toMillis(wait)
      yield* wait === null ? state.wake.await : Effect.raceFirst(Effect.sleep(wait), state.wake.await)
      wait = yield* runOnce(state)
    }
  })

/**
 * Each timed task is one fiber in a FiberMap under its name: registering a name again interrupts
 * the old task, cancelling interrupts it, closing the scope stops them all. A task never overlaps itself.
 */
export const makeTimedTasks: Effect.Effect<
  {
    readonly register: (spec: TaskSpec) => Effect.Effect<void>
    readonly cancel: (name: string) => Effect.Effect<void>
    readonly trigger: (name: string) => Effect.Effect<void>
    readonly diagnostics: Effect.Effect<ReadonlyArray<TaskDiagnostics>>
  },
  never,
  Scope.Scope
> = Effect.gen(function* () {
  const fibers = yield* FiberMap.make<string>()
  const tasks = new Map<string, TaskState>()

  const register = (spec: TaskSpec) =>
    Effect.gen(function* () {
      const every = Duration.decode(spec.every)
      const state: TaskState = {
        spec,
        every,
        wake: yield* Effect.makeLatch(false),
        nextRunAt: null,
        running: false,
        runs: 0,
        failures: 0,
        consecutive: 0,
        retriesUsed: 0,
        lastError: null,
        lastRunAt: null
      }
      tasks.set(spec.name, state)
      yield* FiberMap.run(fibers, spec.name, taskLoop(state, Duration.decode(spec.firstAfter ?? every)))
    })

  const cancel = (name: string) =>
    Effect.suspend(() => {
      tasks.delete(name)
      return FiberMap.remove(fibers, name)
    })

  const trigger = (name: string) =>
    Effect.sync(() => {
      const state = tasks.get(name)
      if (state === undefined || state.running) return
      state.consecutive = 0
      state.wake.unsafeOpen()
    })

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
