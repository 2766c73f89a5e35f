import { Schema } from "effect"

/** Shortcut REST v3 answers (PROTOCOLS.md, Shortcut); unknown fields are ignored. */

export const ShortcutMember = Schema.Struct({
  id: Schema.String,
  mention_name: Schema.String,
  profile: Schema.optional(Schema.Struct({ mention_name: Schema.optional(Schema.String), name: Schema.optional(Schema.String) }))
})

export const ShortcutStateType = Schema.Literal("backlog", "unstarted", "started", "done")

export const ShortcutWorkflow = Schema.Struct({
  id: Schema.Number,
  name: Schema.String,
  default_state_id: Schema.Number,
  states: Schema.Array(Schema.Struct({ id: Schema.Number, name: Schema.String, type: ShortcutStateType }))
})
export type ShortcutWorkflow = typeof ShortcutWorkflow.Type

export const Workflows = Schema.Array(ShortcutWorkflow)

export const Story = Schema.Struct({
  id: Schema.Number,
  name: Schema.String,
  /** `detail=slim` leaves it out. */
  description: Schema.optionalWith(Schema.String, { default: () => "" }),
  app_url: Schema.String,
  workflow_state_id: Schema.Number,
  owner_ids: Schema.Array(Schema.String),
  labels: Schema.Array(Schema.Struct({ name: Schema.String })),
  updated_at: Schema.DateTimeUtc,
  group_id: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }),
  external_links: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] })
})
export type Story = typeof Story.Type

/** `POST /stories/search`: every match at once, no paging (StorySlim; a description only when asked for). */
export const Stories = Schema.Array(Story)

export const StorySearch = Schema.Struct({
  total: Schema.Number,
  data: Schema.Array(Story),
  next: Schema.NullOr(Schema.String)
})

export const Comment = Schema.Struct({ id: Schema.Number, text: Schema.String })
