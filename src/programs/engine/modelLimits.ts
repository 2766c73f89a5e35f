import { Clock, Effect, Ref } from "effect"
import type { DomainEvent } from "../../domain/events.js"
import { EventBus } from "../../services/EventBus.js"
import { cappedBackoffMs } from "../../domain/backoff.js"

/** How a harness words a model that refuses for rate or usage limits (Codex, OpenCode and their providers). */
const LIMIT_WORDING = /rate.?limit|usage.?limit|too many requests|\b429\b|quota/i

const BASE_PAUSE_MS = 30_000

/** A finished turn: failed because of a model limit (`true`), or completed (`false`); else undefined. */
const limitSignal = (event: DomainEvent): boolean | undefined => {
  if (event._tag !== "SessionEvent" || event.event._tag !== "TurnCompleted") return undefined
  if (event.event.status === "completed") return false
  return event.event.status === "failed" && event.event.error !== null && LIMIT_WORDING.test(event.event.error)
}

export interface ModelLimitPause {
  /** When dispatch may start new work again, if a model limit holds it back now. */
  readonly pausedUntil: Effect.Effect<number | undefined>
}

/**
 * Pauses the start of new work, for everyone, while the model answers with rate or usage limits:
 * starting more agents then only burns their first turns. Each limited turn doubles the pause (from
 * 30 s, at most `capMs`); a turn that completes ends it. Runs as long as the scope.
 */
export const makeModelLimitPause = (capMs: number) =>
  Effect.gen(function* () {
    const bus = yield* EventBus
    const state = yield* Ref.make({ hits: 0, until: 0 })
    const subscription = yield* bus.subscribe({
      name: "model-limits",
      policy: "lossless",
      capacity: 64,
      filter: ({ event }) => limitSignal(event) !== undefined
    })
    const watch = Effect.forever(
      Effect.flatMap(subscription.take(64), (deliveries) =>
        Effect.forEach(
          deliveries,
          (delivery) =>
            Effect.gen(function* () {
              if (delivery._tag !== "Event") return
              const limited = limitSignal(delivery.envelope.event)
              if (limited === false) return yield* Ref.set(state, { hits: 0, until: 0 })
              if (limited !== true) return
              const now = yield* Clock.currentTimeMillis
              const { hits } = yield* Ref.get(state)
              const pause = cappedBackoffMs(BASE_PAUSE_MS, hits + 1, capMs)
              yield* Ref.set(state, { hits: hits + 1, until: now + pause })
              yield* Effect.logWarning(`the model is rate- or usage-limited: no new agent starts for ${Math.round(pause / 1000)} s`)
            }),
          { discard: true }
        )
      )
    )
    yield* Effect.forkScoped(watch)
    return {
      pausedUntil: Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const { until } = yield* Ref.get(state)
        return until > now ? until : undefined
      })
    } satisfies ModelLimitPause
  })
