import { Schema } from "effect"
import { QueryId } from "./ids.js"
import { QuestionKind } from "./supervisorQuestions.js"

/** What an `ask` stream carries to the caller, in order: Started, then Text and ToolCalled. */
export const AnswerStarted = Schema.TaggedStruct("AnswerStarted", {
  queryId: QueryId,
  /** The built-in question answered, when one was asked or matched by wording. */
  kind: Schema.NullOr(QuestionKind)
})
export const AnswerText = Schema.TaggedStruct("AnswerText", { text: Schema.String })
export const AnswerToolCalled = Schema.TaggedStruct("AnswerToolCalled", {
  tool: Schema.String,
  arguments: Schema.String,
  result: Schema.String,
  failed: Schema.Boolean
})
export const AnswerEvent = Schema.Union(AnswerStarted, AnswerText, AnswerToolCalled)
export type AnswerEvent = typeof AnswerEvent.Type

/** A ticket the supervisor drafted from a one-line brief, for the person to review before creating it. */
export class TicketDraft extends Schema.Class<TicketDraft>("TicketDraft")({
  title: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)),
  /** Markdown with a scope section and acceptance criteria. */
  description: Schema.String.pipe(Schema.minLength(1))
}) {}
