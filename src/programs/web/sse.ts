import { HttpServerResponse } from "@effect/platform"
import { Chunk, type Context, Duration, Effect, Option, Schema, Stream } from "effect"
import { canCoalesce, mergeDeltaTexts } from "../../domain/bus.js"
import { DomainEvent, type DomainEventTag, type StoredEvent } from "../../domain/events.js"
import type { SessionId } from "../../domain/ids.js"
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

type Store = Context.Tag.Service<typeof EventStore>

/** Every event type but the worker events: the lists, the workflow, the inbox, every session's state. */
const globalTypes: ReadonlyArray<DomainEventTag> = DomainEvent.members.map((member) => member._tag).filter((tag) => tag !== "SessionEvent")

/**
 * The events after `cursor` up to `newest`, at most about `page`: all of them, or (following one
 * session) everything but other sessions' worker events, which are most of a busy store. Answers
 * the events in order and where the next read starts.
 */
const readPage = (store: Store, cursor: number, newest: number, page: number, sessionId: SessionId | null) =>
  Effect.gen(function* () {
    const reads =
      sessionId === null
        ? [store.events({ afterSeq: cursor, limit: page })]
        : [store.events({ afterSeq: cursor, limit: page, types: globalTypes }), store.events({ afterSeq: cursor, limit: page, sessionId, types: ["SessionEvent"] })]
    const results = yield* Effect.all(reads, { concurrency: 1 })
    // A full read may have more beyond it: stop where the shortest full read ends.
    let upTo = newest
    for (const rows of results) if (rows.length === page) upTo = Math.min(upTo, rows[rows.length - 1]?.seq ?? upTo)
    const events = results.flat().filter((stored) => stored.seq <= upTo).sort((a, b) => a.seq - b.seq)
    return { events, next: upTo }
  })

/**
 * The text of one client's stream from `after` on: every stored event in order (deltas coalesced),
 * each with its store sequence as the SSE id, so a reconnect with Last-Event-ID resumes exactly.
 * With `sessionId`, other sessions' worker events are left out (the page follows one transcript).
 * The client pulls: when it stops reading, nothing here runs and nothing is buffered for it. Coming
 * back more than `maxBacklog` events behind, it gets one `skipped` event and continues from the
 * present; the page then reads a fresh snapshot.
 */
export const eventText = (feed: Feed, after: number, sessionId: SessionId | null, options: SseOptions) =>
  Stream.unwrap(
    Effect.map(EventStore, (store) =>
      Stream.paginateChunkEffect(after, (cursor): Effect.Effect<readonly [Chunk.Chunk<string>, Option.Option<number>], StoreFailure> =>
        Effect.gen(function* () {
          const newest = yield* feed.waitPast(cursor, options.heartbeat)
          if (newest <= cursor) return [Chunk.of(": ping\n\n"), Option.some(cursor)] as const
          if (newest - cursor > options.maxBacklog) {
            return [Chunk.of(frame("skipped", newest, { from: cursor, to: newest, count: newest - cursor })), Option.some(newest)] as const
          }
          const { events, next } = yield* readPage(store, cursor, newest, options.page, sessionId)
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
