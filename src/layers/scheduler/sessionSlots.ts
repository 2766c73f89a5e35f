import { Deferred, Effect, Exit, type Scope } from "effect"
import type { SessionId } from "../../domain/ids.js"
import { StartQueueFull } from "../../domain/runtimeErrors.js"
import type { SlotDiagnostics } from "../../services/Scheduler.js"

interface Waiter {
  readonly sessionId: SessionId
  readonly granted: Deferred.Deferred<void>
}

/**
 * At most `limit` sessions hold a slot; the rest wait in arrival order (at most `maxWaiting`).
 * Each holder is its own token, so the same session id twice cannot release someone else's slot.
 */
export const makeSessionSlots = (limit: number, maxWaiting: number) =>
  Effect.sync(() => {
    const holders = new Map<object, SessionId>()
    const waiting: Array<Waiter & { readonly token: object }> = []

    const release = (token: object) =>
      Effect.sync(() => {
        if (!holders.delete(token)) return
        while (holders.size < limit) {
          const next = waiting.shift()
          if (next === undefined) break
          holders.set(next.token, next.sessionId)
          Deferred.unsafeDone(next.granted, Exit.void)
        }
      })

    const acquire = (sessionId: SessionId): Effect.Effect<void, StartQueueFull, Scope.Scope> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.gen(function* () {
          const token = {}
          if (holders.size < limit && waiting.length === 0) {
            holders.set(token, sessionId)
          } else {
            if (waiting.length >= maxWaiting) {
              return yield* Effect.fail(new StartQueueFull({ sessionId, waiting: waiting.length }))
            }
            const granted = yield* Deferred.make<void>()
            waiting.push({ sessionId, granted, token })
            yield* restore(Deferred.await(granted)).pipe(
              Effect.onInterrupt(() =>
                Effect.suspend(() => {
                  const index = waiting.findIndex((w) => w.token === token)
                  if (index >= 0) waiting.splice(index, 1)
                  // Granted in the same instant it was interrupted: pass the slot on.
                  return release(token)
                })
              )
            )
          }
          yield* Effect.addFinalizer(() => release(token))
        })
      )

    const diagnostics = Effect.sync(
      (): SlotDiagnostics => ({
        limit,
        running: Array.from(holders.values()),
        waiting: waiting.map((w) => w.sessionId)
      })
    )

    return { acquire, diagnostics }
  })
