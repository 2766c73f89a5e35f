import { Schema } from "effect"

/** Token counts under OpenAI Symphony's field names (SPEC §13.7.2). */
const SymphonyTokens = Schema.Struct({ input_tokens: Schema.Number, output_tokens: Schema.Number, total_tokens: Schema.Number })

const SymphonyRunning = Schema.Struct({
  issue_id: Schema.NullOr(Schema.String),
  issue_identifier: Schema.String,
  state: Schema.String,
  session_id: Schema.String,
  turn_count: Schema.Number,
  last_event: Schema.NullOr(Schema.String),
  last_message: Schema.String,
  started_at: Schema.String,
  last_event_at: Schema.NullOr(Schema.String),
  tokens: SymphonyTokens
})

const SymphonyRetrying = Schema.Struct({
  issue_id: Schema.NullOr(Schema.String),
  issue_identifier: Schema.String,
  attempt: Schema.Number,
  due_at: Schema.NullOr(Schema.String),
  error: Schema.NullOr(Schema.String)
})

/** `GET /api/v1/state`: Symphony's summary of the running sessions, retries and token totals. */
export const SymphonyState = Schema.Struct({
  generated_at: Schema.String,
  counts: Schema.Struct({ running: Schema.Number, retrying: Schema.Number }),
  running: Schema.Array(SymphonyRunning),
  retrying: Schema.Array(SymphonyRetrying),
  codex_totals: Schema.Struct({
    input_tokens: Schema.Number,
    output_tokens: Schema.Number,
    total_tokens: Schema.Number,
    seconds_running: Schema.Number
  }),
  rate_limits: Schema.Null
}).annotations({ identifier: "SymphonyState" })
export type SymphonyState = typeof SymphonyState.Type
