import { Schema } from "effect"

/**
 * A child process could not run to completion: it did not start (`spawn`), it outlived its
 * timeout (`timeout`, and was killed), or it exited non-zero where success was required (`exit`).
 * `detail` is the process's own message (stderr, trimmed and bounded); never the environment.
 */
export class ProcessFailed extends Schema.TaggedError<ProcessFailed>()("ProcessFailed", {
  binary: Schema.String,
  reason: Schema.Literal("spawn", "timeout", "exit"),
  exitCode: Schema.NullOr(Schema.Number),
  detail: Schema.String
}) {
  override get message(): string {
    switch (this.reason) {
      case "spawn":
        return `${this.binary} could not start: ${this.detail}`
      case "timeout":
        return `${this.binary} did not finish in time`
      case "exit":
        return `${this.binary} ${this.exitCode === null ? "was stopped by a signal" : `exited with ${this.exitCode}`}${this.detail === "" ? "" : `: ${this.detail}`}`
    }
  }
}
