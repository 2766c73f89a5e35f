import { Schema } from "effect"

/** `OPENROUTER_API_KEY` is not set: the supervisor cannot be asked anything. */
export class SupervisorKeyMissing extends Schema.TaggedError<SupervisorKeyMissing>()("SupervisorKeyMissing", {}) {
  override get message(): string {
    return "the supervisor needs an OpenRouter key: set OPENROUTER_API_KEY in the environment"
  }
}

/** OpenRouter refused the request for the account's sake (401 key, 402 credits, 403 forbidden). */
export class SupervisorAuthError extends Schema.TaggedError<SupervisorAuthError>()("SupervisorAuthError", {
  status: Schema.Number,
  detail: Schema.String
}) {
  override get message(): string {
    return this.status === 402
      ? `OpenRouter refused the request (HTTP 402, out of credits): add credits to the account behind OPENROUTER_API_KEY (${this.detail})`
      : `OpenRouter refused the credentials (HTTP ${this.status}): check OPENROUTER_API_KEY (${this.detail})`
  }
}

/** A model call failed after its bounded retries, or its answer could not be read. */
export class SupervisorError extends Schema.TaggedError<SupervisorError>()("SupervisorError", {
  operation: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `supervisor: ${this.operation} failed: ${this.detail}`
  }
}

/** `ask` was given a scope it cannot use (both --session and --ticket, an unknown ticket key). */
export class SupervisorScopeInvalid extends Schema.TaggedError<SupervisorScopeInvalid>()("SupervisorScopeInvalid", {
  reason: Schema.String
}) {
  override get message(): string {
    return `ask: ${this.reason}`
  }
}
