import { Schema } from "effect"

/** The file named by ORCHESTRATOR_SCRIPTED_HARNESS cannot be read or is not a valid script. */
export class ScriptedHarnessInvalid extends Schema.TaggedError<ScriptedHarnessInvalid>()("ScriptedHarnessInvalid", {
  path: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `ORCHESTRATOR_SCRIPTED_HARNESS=${this.path}: ${this.detail}`
  }
}

/** The terminal UI could not start (no terminal, or Ink failed to load). */
export class TuiUnavailable extends Schema.TaggedError<TuiUnavailable>()("TuiUnavailable", {
  detail: Schema.String
}) {
  override get message(): string {
    return `the terminal UI cannot start: ${this.detail}`
  }
}
