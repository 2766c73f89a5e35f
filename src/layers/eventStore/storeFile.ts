import Database from "better-sqlite3"
import { Effect } from "effect"
import { accessSync, constants, statSync } from "node:fs"
import * as NodePath from "node:path"
import { StoreUnusable } from "../../domain/storeErrors.js"
import { migrationsTable } from "./sessionsQuery.js"

/** What is at the store's path, found before the store is opened (so a bad file gets words, not a defect). */
export type StoreFile =
  | { readonly _tag: "Missing" }
  | {
      readonly _tag: "Present"
      /** Neither the file nor its directory can be written (or the file's mode says nobody may). */
      readonly readOnly: boolean
      /** The highest migration applied (0 for an empty file). */
      readonly version: number
    }

/** The `code` of a Node or SQLite error ("ENOENT", "SQLITE_NOTADB"), or "". */
export const codeOf = (error: unknown): string => (error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : "")
/** An error's own message, or the value in words. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

const unusable = (path: string, problem: string, advice: string) => new StoreUnusable({ path, problem, advice })

const canWrite = (path: string): boolean => {
  try {
    accessSync(path, constants.W_OK)
    return true
  } catch {
    return false
  }
}

/** The nearest existing ancestor of a missing file: a file there means the directory can never be made. */
const checkAncestors = (path: string): StoreUnusable | undefined => {
  let dir = NodePath.dirname(path)
  while (dir !== NodePath.dirname(dir)) {
    try {
      const stat = statSync(dir)
      return stat.isDirectory()
        ? undefined
        : unusable(path, `cannot be created: ${dir} is a file, not a directory`, "set event_store_path to a path inside a directory")
    } catch (error) {
      if (codeOf(error) !== "ENOENT" && codeOf(error) !== "ENOTDIR") {
        return unusable(path, `cannot be created: ${dir}: ${messageOf(error)}`, "set event_store_path to a path you can write")
      }
      dir = NodePath.dirname(dir)
    }
  }
  return undefined
}

/** The migration a database file is at, read through a read-only connection; throws what SQLite throws. */
const readVersion = (path: string): number => {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?").get(migrationsTable)
    if (table === undefined) return 0
    const row: unknown = db.prepare(`SELECT MAX(migration_id) AS id FROM ${migrationsTable}`).get()
    return typeof row === "object" && row !== null && "id" in row && typeof row.id === "number" ? row.id : 0
  } finally {
    db.close()
  }
}

export const notADatabase = (path: string) =>
  unusable(
    path,
    "is not an orchestrator store (not a SQLite database, or damaged)",
    `move it aside (mv "${path}" "${path}.broken") and the next command starts an empty store, or set event_store_path to another file`
  )

/** Looks at the store's path without writing anything. */
export const inspectStoreFile = (path: string): Effect.Effect<StoreFile, StoreUnusable> =>
  Effect.suspend(() => {
    if (path === ":memory:") return Effect.succeed<StoreFile>({ _tag: "Missing" })
    let stat
    try {
      stat = statSync(path)
    } catch (error) {
      const code = codeOf(error)
      if (code === "ENOENT" || code === "ENOTDIR") {
        const blocked = checkAncestors(path)
        return blocked === undefined ? Effect.succeed<StoreFile>({ _tag: "Missing" }) : Effect.fail(blocked)
      }
      return Effect.fail(unusable(path, `cannot be read: ${messageOf(error)}`, "check its permissions, or set event_store_path to another file"))
    }
    if (stat.isDirectory()) {
      return Effect.fail(
        unusable(path, "is a directory, not a store file", `remove or rename it, or set event_store_path to a file such as ${NodePath.join(path, "events.sqlite")}`)
      )
    }
    if (!stat.isFile()) return Effect.fail(unusable(path, "is not a regular file", "set event_store_path to a file"))
    // A file whose mode lets nobody write is read-only even for root: the person marked it so.
    const readOnly = (stat.mode & 0o222) === 0 || !canWrite(path) || !canWrite(NodePath.dirname(path))
    try {
      return Effect.succeed<StoreFile>({ _tag: "Present", readOnly, version: readVersion(path) })
    } catch (error) {
      const code = codeOf(error)
      if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") return Effect.fail(notADatabase(path))
      if (code === "SQLITE_CANTOPEN") {
        return Effect.fail(unusable(path, "cannot be opened", "check the permissions of the file and its directory"))
      }
      return Effect.fail(unusable(path, `cannot be read: ${messageOf(error)}`, "check the file, or set event_store_path to another one"))
    }
  })

/** SQLite's own check of the file (`PRAGMA quick_check`): "ok", or the problems it lists (at most 10). */
export const quickCheck = (path: string): ReadonlyArray<string> => {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    return db
      .prepare("PRAGMA quick_check(10)")
      .pluck()
      .all()
      .map((line) => String(line))
  } finally {
    db.close()
  }
}
