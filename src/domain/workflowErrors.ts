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

/**
 * A move (or a decision) was made from a state the work item is no longer in: someone else moved
 * it first. Nothing was recorded; the workflow writer reads the item again and decides anew.
 */
export class StaleState extends Schema.TaggedError<StaleState>()("StaleState", {
  workItemId: Schema.String,
  expected: Schema.String,
  actual: Schema.String
}) {
  override get message(): string {
    return `work item ${this.workItemId} is ${this.actual}, not ${this.expected} as decided`
  }
}
