import { Config, Effect, Option, Redacted } from "effect"
import type { DatabaseSettings } from "../../domain/config.js"
import { StoreUnusable } from "../../domain/storeErrors.js"

/** The variable that names the PostgreSQL server with its password; it wins over `[database] url`. */
export const DATABASE_URL_VARIABLE = "ORCHESTRATOR_DATABASE_URL"

const isPostgres = (url: URL) => url.protocol === "postgres:" || url.protocol === "postgresql:"

const parse = (text: string): URL | undefined => {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

/**
 * The PostgreSQL server the store is on, or none (the SQLite file). The configuration file names the
 * server without a password (PGPASSWORD, ~/.pgpass or ORCHESTRATOR_DATABASE_URL give it); a URL that is
 * not postgres://, or a password in the file, is refused with words that never repeat the password.
 */
export const databaseUrl = (
  db: typeof DatabaseSettings.Type
): Effect.Effect<Option.Option<Redacted.Redacted<string>>, StoreUnusable> =>
  Effect.gen(function* () {
    const fromEnv = yield* Config.option(Config.redacted(DATABASE_URL_VARIABLE)).pipe(Effect.orElseSucceed(() => Option.none()))
    const chosen = Option.filter(fromEnv, (url) => Redacted.value(url).trim() !== "")
    if (Option.isSome(chosen)) {
      const parsed = parse(Redacted.value(chosen.value).trim())
      if (parsed === undefined || !isPostgres(parsed)) {
        return yield* new StoreUnusable({
          path: DATABASE_URL_VARIABLE,
          problem: "is not a postgres:// URL",
          advice: `set it to postgres://user:password@host:5432/database, or unset it to use [database] url or the SQLite file`
        })
      }
      return chosen
    }
    if (db.url.trim() === "") return Option.none()
    const parsed = parse(db.url.trim())
    if (parsed === undefined || !isPostgres(parsed)) {
      return yield* new StoreUnusable({
        path: "[database] url",
        problem: "is not a postgres:// URL",
        advice: "set it to postgres://user@host:5432/database, or to \"\" for the SQLite file at event_store_path"
      })
    }
    if (parsed.password !== "") {
      return yield* new StoreUnusable({
        path: "[database] url",
        problem: "holds a password",
        advice: `remove it from the file; give it in ${DATABASE_URL_VARIABLE} (the whole URL), PGPASSWORD or ~/.pgpass`
      })
    }
    return Option.some(Redacted.make(db.url.trim()))
  })
