import { Schema } from "effect"

/** A workflow move that the transition table or its guard does not allow. */
export class ForbiddenTransition extends Schema.TaggedError<ForbiddenTransition>()("ForbiddenTransition", {
  from: Schema.String,
  to: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `cannot move from ${this.from} to ${this.to}: ${this.reason}`
  }
}

/** One invalid value in the configuration file. */
export class ConfigInvalid extends Schema.TaggedError<ConfigInvalid>()("ConfigInvalid", {
  file: Schema.String,
  keyPath: Schema.String,
  expected: Schema.String,
  found: Schema.String
}) {
  override get message(): string {
    return `${this.file}: ${this.keyPath}: expected ${this.expected}, found ${this.found}`
  }
}

/** The configuration file could not be read, parsed or written. */
export class ConfigUnreadable extends Schema.TaggedError<ConfigUnreadable>()("ConfigUnreadable", {
  file: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.file}: ${this.reason}`
  }
}

/** The event store failed; `operation` says what it was doing. */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  operation: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `event store: ${this.operation} failed: ${this.detail}`
  }
}

/** A stored row that does not decode: the store was written by something else or is damaged. */
export class StoreCorrupt extends Schema.TaggedError<StoreCorrupt>()("StoreCorrupt", {
  what: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `event store: ${this.what} does not decode: ${this.detail}`
  }
}

export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  what: Schema.String,
  id: Schema.String
}) {
  override get message(): string {
    return `${this.what} ${this.id} not found`
  }
}

/** A tracker call failed. `retryable` faults were already retried within bounds. */
export class TicketingError extends Schema.TaggedError<TicketingError>()("TicketingError", {
  provider: Schema.String,
  operation: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.provider}: ${this.operation} failed: ${this.detail}`
  }
}

/** The tracker refused our credentials: one clear sentence naming the variable to fix. */
export class TicketingAuthError extends Schema.TaggedError<TicketingAuthError>()("TicketingAuthError", {
  provider: Schema.String,
  envVar: Schema.String,
  status: Schema.Number
}) {
  override get message(): string {
    return `${this.provider} refused the credentials (HTTP ${this.status}): check ${this.envVar}`
  }
}

/** The tracker answered something we cannot read; `received` quotes it (truncated). */
export class TicketingDecodeError extends Schema.TaggedError<TicketingDecodeError>()("TicketingDecodeError", {
  provider: Schema.String,
  operation: Schema.String,
  received: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.provider}: ${this.operation}: unexpected answer (${this.detail}): ${this.received}`
  }
}

/** A harness (agent process or server) failed to start or to answer. */
export class HarnessError extends Schema.TaggedError<HarnessError>()("HarnessError", {
  harness: Schema.String,
  operation: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.harness}: ${this.operation} failed: ${this.detail}`
  }
}

/** A configured binary that is missing or not allowed; names the config key to change. */
export class BinaryUnavailable extends Schema.TaggedError<BinaryUnavailable>()("BinaryUnavailable", {
  configKey: Schema.String,
  binary: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.configKey} = "${this.binary}": ${this.reason}`
  }
}

/** A command that already printed its report and must exit non-zero (e.g. `doctor`). */
export class CommandFailed extends Schema.TaggedError<CommandFailed>()("CommandFailed", {
  summary: Schema.String
}) {
  override get message(): string {
    return this.summary
  }
}
