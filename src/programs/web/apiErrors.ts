import { HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"

/** Bad input: a malformed id, a missing field, a ticket with no known repository. */
export class BadRequest extends Schema.TaggedError<BadRequest>()("BadRequest", { message: Schema.String }, HttpApiSchema.annotations({ status: 400 })) {}

/** No such session, ticket or work item. */
export class Unknown extends Schema.TaggedError<Unknown>()("Unknown", { message: Schema.String }, HttpApiSchema.annotations({ status: 404 })) {}

/** The move is not allowed from where the work is now (workflow table, session not live). */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", { message: Schema.String }, HttpApiSchema.annotations({ status: 409 })) {}

/** The engine cannot take it now (start queue full, store busy, harness or supervisor down). */
export class Busy extends Schema.TaggedError<Busy>()("Busy", { message: Schema.String }, HttpApiSchema.annotations({ status: 503 })) {}

export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", { message: Schema.String }, HttpApiSchema.annotations({ status: 401 })) {}

export type ApiError = BadRequest | Unknown | Conflict | Busy

const conflictTags = new Set(["ForbiddenTransition", "StaleState", "SessionNotLive", "SessionAlreadyLive", "WorkflowError"])
const badInputTags = new Set(["RepositoryUnknown", "SupervisorScopeInvalid", "TicketingDecodeError"])

/** A domain's tagged error as the API's: its tag picks the status, its message is kept (domain messages carry no secrets). */
export const toApiError = (error: { readonly _tag: string; readonly message: string }): ApiError => {
  const message = `${error._tag}: ${error.message}`
  if (error._tag === "NotFound") return new Unknown({ message })
  if (conflictTags.has(error._tag)) return new Conflict({ message })
  if (badInputTags.has(error._tag)) return new BadRequest({ message })
  return new Busy({ message })
}
