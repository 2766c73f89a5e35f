import { Schema } from "effect"

/** A workflow step failed; `operation` names the step, `detail` what went wrong. */
export class WorkflowError extends Schema.TaggedError<WorkflowError>()("WorkflowError", {
  operation: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.operation}: ${this.detail}`
  }
}

/** The ticket's project maps to no repository: the person is asked once and the answer remembered. */
export class RepositoryUnknown extends Schema.TaggedError<RepositoryUnknown>()("RepositoryUnknown", {
  ticketId: Schema.String,
  project: Schema.NullOr(Schema.String)
}) {
  override get message(): string {
    return `no repository is known for ${this.project === null ? "this ticket" : `project ${this.project}`}: choose one (or add it under [projects] in the config)`
  }
}
