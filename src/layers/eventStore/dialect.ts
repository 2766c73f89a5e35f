// The few places where the store's SQL differs between SQLite and PostgreSQL, in one file, so the
// store, its projector and its migrations stay one code path for both.
import type { SqlClient } from "@effect/sql"
import type { Statement } from "./sessionsQuery.js"

type Sql = SqlClient.SqlClient

/** Whole numbers: SQLite's INTEGER is 64-bit, PostgreSQL's is 32-bit (a time in ms needs BIGINT). */
export const intType = (sql: Sql) => sql.literal(sql.onDialectOrElse({ pg: () => "BIGINT", orElse: () => "INTEGER" }))

/** The event payload's column type: JSONB on PostgreSQL (queryable), text holding JSON on SQLite. */
export const jsonType = (sql: Sql) => sql.literal(sql.onDialectOrElse({ pg: () => "JSONB", orElse: () => "TEXT" }))

/** The payload as JSON text in a SELECT (PostgreSQL would hand back a parsed object). */
export const payloadText = (sql: Sql) => sql.literal(sql.onDialectOrElse({ pg: () => "payload::text AS payload", orElse: () => "payload" }))

/** The larger of two values: SQLite's scalar MAX, PostgreSQL's GREATEST. */
export const greatest = (sql: Sql) => sql.onDialectOrElse({ pg: () => "GREATEST", orElse: () => "MAX" })

/** A `?` statement (shared with the quick path's better-sqlite3) in the dialect's placeholders. */
export const runStatement = (sql: Sql, statement: Statement) => {
  let n = 0
  const text = sql.onDialectOrElse({ pg: () => statement.text.replace(/\?/g, () => `$${++n}`), orElse: () => statement.text })
  return sql.unsafe(text, statement.params)
}

/**
 * PostgreSQL's JSONB cannot hold the NUL character (`\u0000`): in a payload it becomes U+FFFD, the
 * replacement character, as in text that was not valid. An escaped backslash before `u0000` is text, kept.
 */
export const storablePayload = (sql: Sql) =>
  sql.onDialectOrElse({
    pg: () => (json: string) => (json.includes("\\u0000") ? json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, "$1\\ufffd") : json),
    orElse: () => (json: string) => json
  })
