import { Context, type Duration, type Effect, type Scope } from "effect"
import type { SessionId } from "../domain/ids.js"
import type { StartQueueFull } from "../domain/runtimeErrors.js"

/** What a timed task does after a failed run. */
export type FailurePolicy =
  /** Try again after `delay`, up to `times` in a row, then wait for the normal interval. */
  | { readonly _tag: "Retry"; readonly times: number; readonly delay: Duration.DurationInput }
  /** Wait `initial`, doubling per consecutive failure, never more than `cap`; back to normal on success. */
  | { readonly _tag: "Backoff"; readonly initial: Duration.DurationInput; readonly cap: Duration.DurationInput }
  /** Stop running after `failures` consecutive failures, until triggered by hand. */
  | { readonly _tag: "DisableAfter"; readonly failures: number }

export interface TaskSpec {
  /** Unique; registering a name again replaces the task. */
  readonly name: string
  readonly every: Duration.DurationInput
  /** Delay before the first run; defaults to `every`. */
  readonly firstAfter?: Duration.DurationInput
  /** A run longer than this fails; defaults to `every`. */
  readonly timeout?: Duration.DurationInput
  readonly policy: FailurePolicy
  readonly run: Effect.Effect<void, unknown>
}

export interface TaskDiagnostics {
  readonly name: string
  readonly status: "scheduled" | "running" | "disabled"
  readonly runs: number
  readonly failures: number
  readonly consecutiveFailures: number
  readonly lastError: string | null
  readonly lastRunAt: number | null
  readonly nextRunAt: number | null
}

export interface SlotDiagnostics {
  readonly limit: number
  readonly running: ReadonlyArray<SessionId>
  /** In the order they will get a slot. */
  readonly waiting: ReadonlyArray<SessionId>
}

/** The one loop for timed work, and the limit on concurrently running sessions. */
export class Scheduler extends Context.Tag("orchestrator/Scheduler")<
  Scheduler,
  {
    readonly register: (task: TaskSpec) => Effect.Effect<void>
    readonly cancel: (name: string) => Effect.Effect<void>
    /** Runs the task now (re-enabling it if it was disabled). */
    readonly trigger: (name: string) => Effect.Effect<void>
    readonly diagnostics: Effect.Effect<ReadonlyArray<TaskDiagnostics>>
    /**
     * Waits (first come, first served) for one of `runtime.max_concurrent_sessions` slots and holds
     * it until the scope closes. Fails when the waiting queue is full.
     */
    readonly acquireSessionSlot: (sessionId: SessionId) => Effect.Effect<void, StartQueueFull, Scope.Scope>
    readonly slots: Effect.Effect<SlotDiagnostics>
  }
>() {}
