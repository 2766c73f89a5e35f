import type { CommandExecutor } from "@effect/platform"
import { Duration, Effect } from "effect"

/** How long a harness process gets to exit after SIGTERM (and again after SIGKILL). */
export const stopGrace = Duration.seconds(3)

/**
 * Signals the process group and waits for the exit, at most `grace`. Finalizers run
 * uninterruptibly, and a timeout cannot cut an uninterruptible wait short: the wait is made
 * interruptible here so the bound holds inside a finalizer too.
 */
const signalAndWait = (process: CommandExecutor.Process, signal: "SIGTERM" | "SIGKILL", grace: Duration.Duration) =>
  process.kill(signal).pipe(Effect.interruptible, Effect.timeout(grace))

/**
 * SIGTERM, then SIGKILL when the process has not exited within `grace` (opencode serve's own
 * SIGTERM shutdown can wait forever). Never fails; meant for a scope finalizer, added after
 * `Command.start` so it runs before the platform's unbounded one.
 */
export const stopProcess = (process: CommandExecutor.Process, grace: Duration.Duration = stopGrace): Effect.Effect<void> =>
  Effect.flatMap(process.isRunning, (running) =>
    running
      ? signalAndWait(process, "SIGTERM", grace).pipe(
        Effect.catchAll(() => signalAndWait(process, "SIGKILL", grace)),
        Effect.ignore
      )
      : Effect.void
  ).pipe(Effect.catchAll(() => Effect.void))
