import { Effect, ParseResult, Schema } from "effect"
import { TicketingDecodeError } from "../../domain/errors.js"
import { type CallSite, quote } from "./httpCall.js"

type Path = ReadonlyArray<PropertyKey>

const valueAt = (value: unknown, path: Path): unknown =>
  path.reduce<unknown>(
    (current, key) =>
      typeof current === "object" && current !== null && typeof key !== "symbol"
        ? (current as Record<string | number, unknown>)[key]
        : undefined,
    value
  )

const renderPath = (path: Path): string =>
  path.map((key, index) => (typeof key === "number" ? `[${key}]` : `${index === 0 ? "" : "."}${String(key)}`)).join("")

/**
 * Decodes a tracker's answer. On failure the error quotes the innermost object that holds the bad
 * field (e.g. the one malformed issue of a page), not the first 400 characters of the whole page.
 */
export const decodeAnswer = <A, I>(schema: Schema.Schema<A, I, never>, site: CallSite) => {
  const decode = Schema.decodeUnknownEither(schema, { errors: "first", onExcessProperty: "ignore" })
  return (json: unknown): Effect.Effect<A, TicketingDecodeError> => {
    const result = decode(json)
    if (result._tag === "Right") return Effect.succeed(result.right)
    const issue = ParseResult.ArrayFormatter.formatErrorSync(result.left)[0]
    const path = issue?.path ?? []
    const holder = path.length > 0 ? path.slice(0, -1) : path
    const received = valueAt(json, holder)
    return Effect.fail(
      new TicketingDecodeError({
        provider: site.provider,
        operation: site.operation,
        received: `${holder.length > 0 ? `${renderPath(holder)} = ` : ""}${quote(JSON.stringify(received) ?? "undefined")}`,
        detail: `${renderPath(path) || "answer"}: ${issue?.message ?? "does not match"}`
      })
    )
  }
}
