import { FileSystem } from "@effect/platform"
import { Effect, Redacted, Schema } from "effect"
import { randomBytes, timingSafeEqual } from "node:crypto"
import * as NodePath from "node:path"

/** The web token file could not be read or written. */
export class WebTokenUnavailable extends Schema.TaggedError<WebTokenUnavailable>()("WebTokenUnavailable", {
  file: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `web token ${this.file}: ${this.detail}`
  }
}

const TOKEN_PATTERN = /^[0-9a-f]{64}$/

/** Where the token lives: beside the event store, under the data dir (the demo keeps it in its temp dir). */
export const tokenFileOf = (eventStorePath: string): string => NodePath.join(NodePath.dirname(eventStorePath), "web-token")

/**
 * The dashboard's token: read from its file, or made on first use (32 random bytes, hex) and written
 * with mode 0600. A file others can read is narrowed to 0600; a damaged one is replaced.
 */
export const loadOrCreateToken = (file: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    if (yield* fs.exists(file)) {
      const text = (yield* fs.readFileString(file)).trim()
      if (TOKEN_PATTERN.test(text)) {
        const info = yield* fs.stat(file)
        if ((info.mode & 0o077) !== 0) yield* fs.chmod(file, 0o600)
        return Redacted.make(text)
      }
    }
    const token = randomBytes(32).toString("hex")
    yield* fs.makeDirectory(NodePath.dirname(file), { recursive: true })
    yield* fs.writeFileString(file, `${token}\n`, { mode: 0o600 })
    // A file that existed keeps its old mode on write: narrow it as well.
    yield* fs.chmod(file, 0o600)
    return Redacted.make(token)
  }).pipe(Effect.mapError((error) => (error instanceof WebTokenUnavailable ? error : new WebTokenUnavailable({ file, detail: error.message }))))

/** Constant-time comparison, so the time a wrong guess takes says nothing about the token. */
export const tokenMatches = (token: Redacted.Redacted<string>, offered: string): boolean => {
  const expected = Buffer.from(Redacted.value(token))
  const given = Buffer.from(offered)
  return given.length === expected.length && timingSafeEqual(given, expected)
}
