import { Context, type Duration, type Effect } from "effect"
import type { ProcessFailed } from "../domain/processErrors.js"

/** One child process: always an argument array, never a shell string. */
export interface ProcessSpec {
  readonly binary: string
  readonly args: ReadonlyArray<string>
  readonly cwd?: string
  /** Added to the inherited environment (git and gh need HOME, PATH and their own variables). */
  readonly env?: Readonly<Record<string, string>>
  /** Fed and closed; empty by default, so nothing can sit waiting for a prompt. */
  readonly stdin?: string
  /** Killed when it fires; a default applies when absent. */
  readonly timeout?: Duration.DurationInput
}

export interface ProcessOutput {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

/**
 * Short-lived processes for programs (doctor, health checks). Adapters (git, gh, codex) call the
 * same implementation, `layers/process/runProcess.ts`, directly: one runner, two doors.
 * Output is bounded; `run` fails on a non-zero exit, `capture` hands every exit code to the caller.
 */
export class ProcessRunner extends Context.Tag("orchestrator/ProcessRunner")<
  ProcessRunner,
  {
    readonly run: (spec: ProcessSpec) => Effect.Effect<ProcessOutput, ProcessFailed>
    readonly capture: (spec: ProcessSpec) => Effect.Effect<ProcessOutput, ProcessFailed>
  }
>() {}
