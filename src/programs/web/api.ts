import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiMiddleware, HttpApiSchema, HttpApiSecurity, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { Ticket } from "../../domain/ticket.js"
import { WorkItem } from "../../domain/workItem.js"
import { BadRequest, Busy, Conflict, Unauthorized, Unknown } from "./apiErrors.js"
import { TOKEN_COOKIE } from "./guard.js"
import { SymphonyState } from "./symphonySchema.js"
import { SessionDetail, StateSnapshot, StoredEventSchema } from "./viewSchemas.js"

/** Every endpoint needs the token: as a bearer header (scripts) or the session cookie (the page). */
export class Authorization extends HttpApiMiddleware.Tag<Authorization>()("orchestrator/web/Authorization", {
  failure: Unauthorized,
  security: {
    bearer: HttpApiSecurity.bearer,
    cookie: HttpApiSecurity.apiKey({ in: "cookie", key: TOKEN_COOKIE })
  }
}) {}

const sessionPath = Schema.Struct({ sessionId: Schema.String })
const workItemPath = Schema.Struct({ workItemId: Schema.String })
const ticketPath = Schema.Struct({ ticketId: Schema.String })
const Done = Schema.Struct({ ok: Schema.Literal(true), message: Schema.String })

const read = HttpApiGroup.make("read")
  .add(HttpApiEndpoint.get("state", "/api/state").addSuccess(StateSnapshot))
  .add(HttpApiEndpoint.get("session", "/api/sessions/:sessionId").setPath(sessionPath).addSuccess(SessionDetail))
  .add(
    HttpApiEndpoint.get("sessionEvents", "/api/sessions/:sessionId/events")
      .setPath(sessionPath)
      .setUrlParams(Schema.Struct({ after: Schema.optional(Schema.NumberFromString), limit: Schema.optional(Schema.NumberFromString) }))
      .addSuccess(Schema.Struct({ lastSeq: Schema.Number, events: Schema.Array(StoredEventSchema) }))
  )
  .add(
    HttpApiEndpoint.get("tickets", "/api/tickets")
      .setUrlParams(Schema.Struct({ state: Schema.optional(Schema.String), limit: Schema.optional(Schema.NumberFromString) }))
      .addSuccess(Schema.Array(Ticket))
  )
  .add(HttpApiEndpoint.get("workItems", "/api/work-items").addSuccess(Schema.Array(WorkItem)))
  .add(HttpApiEndpoint.get("diff", "/api/work-items/:workItemId/diff").setPath(workItemPath).addSuccess(Schema.Struct({ text: Schema.String })))

const act = HttpApiGroup.make("act")
  .add(
    HttpApiEndpoint.post("startTicket", "/api/tickets/:ticketId/start")
      .setPath(ticketPath)
      .setPayload(Schema.Struct({ repoPath: Schema.optional(Schema.String) }))
      .addSuccess(Schema.Struct({ workItemId: Schema.String, sessionId: Schema.String }))
  )
  .add(HttpApiEndpoint.post("syncTickets", "/api/tickets/sync").addSuccess(Done))
  .add(HttpApiEndpoint.post("message", "/api/sessions/:sessionId/message").setPath(sessionPath).setPayload(Schema.Struct({ text: Schema.NonEmptyTrimmedString })).addSuccess(Done))
  .add(HttpApiEndpoint.post("interrupt", "/api/sessions/:sessionId/interrupt").setPath(sessionPath).addSuccess(Done))
  .add(
    HttpApiEndpoint.post("answer", "/api/sessions/:sessionId/answer")
      .setPath(sessionPath)
      .setPayload(Schema.Struct({ requestId: Schema.String, answers: Schema.Record({ key: Schema.String, value: Schema.String }) }))
      .addSuccess(Done)
  )
  .add(
    HttpApiEndpoint.post("approval", "/api/sessions/:sessionId/approval")
      .setPath(sessionPath)
      .setPayload(Schema.Struct({ requestId: Schema.String, decision: Schema.Literal("accept", "decline") }))
      .addSuccess(Done)
  )
  .add(HttpApiEndpoint.post("advance", "/api/work-items/:workItemId/advance").setPath(workItemPath).addSuccess(Done))
  .add(HttpApiEndpoint.post("merge", "/api/work-items/:workItemId/merge").setPath(workItemPath).addSuccess(Done))
  .add(HttpApiEndpoint.post("archive", "/api/work-items/:workItemId/archive").setPath(workItemPath).addSuccess(Done))
  .add(
    HttpApiEndpoint.post("ask", "/api/supervisor/ask")
      .setPayload(Schema.Struct({ question: Schema.NonEmptyTrimmedString, sessionId: Schema.optional(Schema.String) }))
      // The answer streams as plain text while the supervisor writes it.
      .addSuccess(Schema.String.pipe(HttpApiSchema.withEncoding({ kind: "Text", contentType: "text/plain" })))
  )

const live = HttpApiGroup.make("live").add(
  HttpApiEndpoint.get("events", "/api/events")
    .setUrlParams(Schema.Struct({ after: Schema.optional(Schema.NumberFromString), session: Schema.optional(Schema.String) }))
    .addSuccess(Schema.String.pipe(HttpApiSchema.withEncoding({ kind: "Text", contentType: "text/event-stream" })))
    .annotate(OpenApi.Description, "Server-Sent Events: one `event` per stored event (id = store sequence); resumable with Last-Event-ID; `skipped` when a client fell too far behind; `session=<id>` leaves out other sessions' worker events, `session=none` all of them")
)

/** OpenAI Symphony's read API (SPEC §13.7.2), so tools written for it can read this one. */
const symphony = HttpApiGroup.make("symphony")
  .add(HttpApiEndpoint.get("symphonyState", "/api/v1/state").addSuccess(SymphonyState))
  .add(
    HttpApiEndpoint.post("symphonyRefresh", "/api/v1/refresh").addSuccess(
      Schema.Struct({ queued: Schema.Boolean, coalesced: Schema.Boolean, requested_at: Schema.String, operations: Schema.Array(Schema.String) }),
      { status: 202 }
    )
  )

export class WebApi extends HttpApi.make("orchestrator")
  .add(read)
  .add(act)
  .add(live)
  .add(symphony)
  .addError(BadRequest)
  .addError(Unknown)
  .addError(Conflict)
  .addError(Busy)
  .middleware(Authorization)
  .annotate(OpenApi.Title, "orchestrator dashboard API")
  .annotate(OpenApi.Description, "The state and the actions of a running `orchestrator run --web`.") {}
