import type { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"

/**
 * `sql.withTransaction` whose failed COMMIT or ROLLBACK is a failure like any other. @effect/sql turns
 * those into defects, and a connection that drops mid-transaction (a PostgreSQL restart) fails its
 * ROLLBACK: as a defect it would slip past every retry and end the fiber that wrote, silently.
 */
export const inTransaction =
  (sql: SqlClient.SqlClient) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | SqlError, R> =>
    sql.withTransaction(effect).pipe(Effect.catchAllDefect((defect) => (defect instanceof SqlError ? Effect.fail(defect) : Effect.die(defect))))
