import { HttpServerResponse } from "@effect/platform"
import { Chunk, Duration, Effect, Option, Schema, Stream } from "effect"
import { canCoalesce, mergeDeltaTexts } from "../../domain/bus.js"
import { DomainEvent, type StoredEvent } from "../../domain/events.js"
import { EventStore, type StoreFailure } from "../../services/EventStore.js"
import type { Feed } from "./feed.js"

export interface SseOptions {
  /** A client further behind than this many events skips to the present (one marker, then a fresh snapshot). */
  readonly maxBacklog: number
  /** Events read from the store per step. */
  readonly page: number
  /** A comment line this often keeps proxies from closing a quiet stream. */
  readonly heartbeat: Duration.DurationInput
}

export const defaultSseOptions: SseOptions = { maxBacklog: 5000, page: 500, heartbeat: Duration.seconds(15) }

const encodeEvent = Schema.encodeSync(DomainEvent)

/** Consecutive text deltas of one item become one event (numbered with the last one's sequence). */
export const coalesce = (events: ReadonlyArray<StoredEvent>): ReadonlyArray<StoredEvent> => {
  const out: Array<StoredEvent> = []
  let pending: Array<string> = []
  const flush = () => {
    const last = out[out.length - 1]
    if (last !== undefined && pending.length > 0) out[out.length - 1] = { ...last, event: mergeDeltaTexts(last.event, pending) }
    pending = []
  }
  for (const stored of events) {
    const last = out[out.length - 1]
    const more = last === undefined ? undefined : canCoalesce(last.event, stored.event)
    if (last !== undefined && more !== undefined) {
      pending.push(more)
      out[out.length - 1] = { ...last, seq: stored.seq, at: stored.at }
      continue
    }
    flush()
    out.push(stored)
  }
  flush()
  return out
}

const frame = (event: string, id: number | null, data: unknown): string =>
  `${id === null ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`

/**
 * The text of one client's stream from `after` on: every stored event in order (deltas coalesced),
 * each with its store sequence as the SSE id, so a reconnect with Last-Event-ID resumes exactly.
 * The client pulls: when it stops reading, nothing here runs and nothing is buffered for it. Coming
 * back more than `maxBacklog` events behind, it gets one `skipped` event and continues from the
 * present; the page then reads a fresh snapshot.
 */
export const eventText = (feed: Feed, after: number, options: SseOptions) =>
  Stream.unwrap(
    Effect.map(EventStore, (store) =>
      Stream.paginateChunkEffect(after, (cursor): Effect.Effect<readonly [Chunk.Chunk<string>, Option.Option<number>], StoreFailure> =>
        Effect.gen(function* () {
          const newest = yield* feed.waitPast(cursor, options.heartbeat)
          if (newest <= cursor) return [Chunk.of(": ping\n\n"), Option.some(cursor)] as const
          if (newest - cursor > options.maxBacklog) {
            return [Chunk.of(frame("skipped", newest, { from: cursor, to: newest, count: newest - cursor })), Option.some(newest)] as const
          }
          const events = yield* store.events({ afterSeq: cursor, limit: options.page })
          const next = events[events.length - 1]?.seq ?? cursor
          const frames = coalesce(events).map((stored) => frame("event", stored.seq, { seq: stored.seq, at: stored.at, event: encodeEvent(stored.event) }))
          return [Chunk.fromIterable(frames), Option.some(next)] as const
        })
      )
    )
  )

/** `after`: the Last-Event-ID header (a reconnect) wins over the `after` query (the first connect). */
export const resumeFrom = (lastEventId: string | undefined, after: number | undefined, fallback: number): number => {
  const fromHeader = lastEventId === undefined ? Number.NaN : Number(lastEventId)
  if (Number.isInteger(fromHeader) && fromHeader >= 0) return fromHeader
  return after !== undefined && Number.isInteger(after) && after >= 0 ? after : fallback
}

export const sseResponse = (text: Stream.Stream<string, unknown>) =>
  HttpServerResponse.stream(text.pipe(Stream.encodeText), {
    contentType: "text/event-stream",
    headers: { "cache-control": "no-store", "x-accel-buffering": "no" }
  })
