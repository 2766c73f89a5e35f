import { Schema } from "effect"
import { DomainEvent } from "../domain/events.js"
import { SessionDetail, StateSnapshot } from "../programs/web/viewSchemas.js"

/** The server's JSON decoded with the schemas it was encoded with: the page uses nothing it did not check. */
export const decodeEvent = Schema.decodeUnknownSync(DomainEvent)
export const decodeState = Schema.decodeUnknownSync(StateSnapshot)
export const decodeDetail = Schema.decodeUnknownSync(SessionDetail)

const StreamFrame = Schema.Struct({ seq: Schema.Number, at: Schema.Number, event: Schema.Unknown })
export const decodeFrame = Schema.decodeUnknownSync(Schema.parseJson(StreamFrame))
