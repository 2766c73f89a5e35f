import Database from "better-sqlite3"
import { readFileSync } from "node:fs"
import { harnessIdPattern, inboxLaneNames, sessionStateNames, ticketIdPattern } from "../../domain/literals.js"
import { type CheckedConfig, readCheckedConfig, sha256Hex } from "../../layers/config/checkedConfig.js"
import { cacheDirOf, configFileOf, locationsFromEnv } from "../../layers/config/locations.js"
import { openInboxStatement } from "../../layers/eventStore/projectionOrder.js"
import {
  latestMigrationId,
  migrationsTable,
  type SessionDbRow,
  type SessionFields,
  sessionFieldsFromDb,
  sessionsStatement
} from "../../layers/eventStore/sessionsQuery.js"

// The one store reader of the quick start paths (`sessions list`, the early frame of `run`): plain
// Node and better-sqlite3, trusting only a store a full start has validated and migrated.

const nullableString = (value: unknown): boolean => value === null || typeof value === "string"
const nullableId = (value: unknown): boolean => value === null || (typeof value === "string" && value !== "")
// Schema.int() is Number.isSafeInteger.
const epochMillis = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0

/** The checks the event store's row decoding (rows.ts, domain/session.ts) makes; a row failing them goes to the full path, which reports it. */
const isValidSession = (row: SessionFields): boolean =>
  typeof row.id === "string" &&
  row.id !== "" &&
  nullableId(row.workItemId) &&
  nullableId(row.ticketId) &&
  (row.ticketId === null || ticketIdPattern.test(row.ticketId)) &&
  nullableString(row.ticketIdentifier) &&
  harnessIdPattern.test(row.harness) &&
  nullableString(row.model) &&
  typeof row.worktreePath === "string" &&
  (sessionStateNames as ReadonlyArray<string>).includes(row.state) &&
  nullableString(row.workflowState) &&
  nullableString(row.pullRequestUrl) &&
  nullableString(row.harnessSessionId) &&
  epochMillis(row.createdAt) &&
  epochMillis(row.lastActivityAt) &&
  typeof row.eventCount === "number"

/**
 * How long to wait for a locked store before leaving the command to the full CLI, which then waits
 * the configured `busy_timeout_ms` and reports: a lock costs at most this much more than before.
 */
const QUICK_BUSY_TIMEOUT_MS = 250

/** The sessions projection (all, or those in one state), or undefined when a row is not what the full path would accept. */
export const readSessions = (db: Database.Database, filter: { readonly state?: string }): ReadonlyArray<SessionFields> | undefined => {
  const statement = sessionsStatement(filter)
  const rows = (db.prepare(statement.text).all(...statement.params) as Array<SessionDbRow>).map(sessionFieldsFromDb)
  return rows.every(isValidSession) ? rows : undefined
}

/**
 * The store of the configuration a full start has already validated (the checked-config record for
 * this very text) and migrated, opened read-only for `read`. Undefined whenever the quick path
 * cannot answer (no or stale record, a store on PostgreSQL, another migration, any error): then
 * the full CLI runs, so errors, first-run setup and messages stay in one place.
 */
export const readQuickStore = <A>(
  config: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  programVersion: string,
  read: (db: Database.Database) => A | undefined
): { readonly checked: CheckedConfig; readonly value: A } | undefined => {
  // A store on PostgreSQL is read by the full CLI (the quick path knows only SQLite files).
  if ((env.ORCHESTRATOR_DATABASE_URL ?? "").trim() !== "") return undefined
  try {
    const locations = locationsFromEnv(env)
    const configFile = configFileOf(config, locations)
    const checked = readCheckedConfig(cacheDirOf(locations), {
      programVersion,
      configFile,
      // Decoded as the full CLI reads it (TextDecoder drops a byte order mark), so the hashes agree.
      sha256: sha256Hex(new TextDecoder().decode(readFileSync(configFile))),
      home: locations.home,
      xdgDataHome: locations.xdgDataHome ?? null
    })
    if (checked === undefined) return undefined
    // Read-only: the store exists and a full start migrated it; this path creates and changes nothing.
    const db = new Database(checked.eventStorePath, { readonly: true, fileMustExist: true })
    try {
      db.pragma(`busy_timeout = ${Math.trunc(Math.min(checked.busyTimeoutMs, QUICK_BUSY_TIMEOUT_MS))}`)
      const latest = db.prepare(`SELECT max(migration_id) AS id FROM ${migrationsTable}`).get() as { id: number | null } | undefined
      if (latest?.id !== latestMigrationId) return undefined
      const value = read(db)
      return value === undefined ? undefined : { checked, value }
    } finally {
      db.close()
    }
  } catch {
    return undefined
  }
}

/** An open inbox item as the lists show it (the view model's `InboxEntry` fields). */
export interface QuickInboxItem {
  readonly id: string
  readonly lane: (typeof inboxLaneNames)[number]
  readonly urgency: number
  readonly title: string
  readonly sessionId: string | null
}

const isInboxRow = (row: unknown): row is { readonly id: string; readonly lane: QuickInboxItem["lane"]; readonly urgency: number; readonly title: string; readonly session_id: string | null } =>
  typeof row === "object" &&
  row !== null &&
  "id" in row &&
  typeof row.id === "string" &&
  row.id !== "" &&
  "lane" in row &&
  (inboxLaneNames as ReadonlyArray<unknown>).includes(row.lane) &&
  "urgency" in row &&
  typeof row.urgency === "number" &&
  "title" in row &&
  typeof row.title === "string" &&
  "session_id" in row &&
  nullableId(row.session_id)

/** The open inbox in the store's order (the statement the event store reads it with), or undefined when a row is not what the full path would accept. */
export const readOpenInbox = (db: Database.Database): ReadonlyArray<QuickInboxItem> | undefined => {
  const rows = db.prepare(openInboxStatement).all()
  return rows.every(isInboxRow) ? rows.map((row) => ({ id: row.id, lane: row.lane, urgency: row.urgency, title: row.title, sessionId: row.session_id })) : undefined
}
