import { Array as Arr, Either } from "effect"
import { ConfigInvalid } from "../../domain/errors.js"
import { describeValue } from "./describeIssue.js"

/**
 * The row of a provider table that `key` names, or the one-line error that names the key and the
 * ids the table holds. The config loader checks with it and the layer wiring picks with it.
 */
export const chooseProvider = <Row extends { readonly id: string }>(
  file: string,
  key: string,
  rows: ReadonlyArray<Row>,
  id: string
): Either.Either<Row, ConfigInvalid> =>
  Either.fromOption(
    Arr.findFirst(rows, (row) => row.id === id),
    () => new ConfigInvalid({ file, keyPath: key, expected: `one of ${rows.map((row) => row.id).join(", ")}`, found: describeValue(id) })
  )
