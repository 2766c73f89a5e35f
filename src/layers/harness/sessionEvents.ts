import { Effect, Exit, Mailbox, Option, Ref, Scope } from "effect"
import { HarnessError } from "../../domain/errors.js"
import type { TokenUsage, WorkerEvent } from "../../domain/workerEvent.js"
import { makeHarnessLog } from "./jsonlLog.js"

// The event stream is lossless: when the consumer lags, reading the agent's output waits.
const eventCapacity = 1024

/**
 * The event side of one process-per-session harness session: the logs, the bounded event mailbox,
 * the turn in flight, the usage so far, and how the session ends (once).
 */
export const makeSessionEvents = (options: {
  readonly harness: string
  readonly dataDir: string
  readonly sessionId: string
  readonly logRaw: boolean
  readonly logNormalized: boolean
  /** The session's own scope: closing it kills the process. */
  readonly scope: Scope.CloseableScope
  /** Items still open when a crash ends the turn (running commands), published as failed first. */
  readonly openItems?: () => ReadonlyArray<WorkerEvent>
}) =>
  Effect.gen(function* () {
    const log = yield* makeHarnessLog({
      harness: options.harness,
      dataDir: options.dataDir,
      sessionId: options.sessionId,
      raw: options.logRaw,
      normalized: options.logNormalized
    })
    const events = yield* Mailbox.make<WorkerEvent, HarnessError>(eventCapacity)
    const usage = yield* Ref.make<TokenUsage | null>(null)
    const activeTurn = yield* Ref.make<Option.Option<string>>(Option.none())
    const finished = yield* Ref.make(false)

    const publish = (event: WorkerEvent) => Effect.zipRight(log.normalized(event), events.offer(event))

    /** The first end wins: a crash fails the turn in flight and is published once, then the stream ends. */
    const end = (crashReason: string | null) =>
      Effect.gen(function* () {
        if (yield* Ref.getAndSet(finished, true)) return
        if (crashReason !== null) {
          const turn = yield* Ref.getAndSet(activeTurn, Option.none())
          if (Option.isSome(turn)) {
            for (const item of options.openItems?.() ?? []) yield* publish(item)
            yield* publish({ _tag: "TurnCompleted", turnId: turn.value, status: "failed", usage: yield* Ref.get(usage), error: crashReason })
          }
          yield* publish({ _tag: "Crashed", reason: crashReason })
        }
        yield* events.end
      })
    // Closing the scope interrupts the reader fiber that may be running this: do it elsewhere.
    const finish = (crashReason: string | null) => Effect.zipRight(end(crashReason), Effect.forkDaemon(Scope.close(options.scope, Exit.void)))

    /** After Done, Crashed or kill the process may still be going away: refuse at once. */
    const live = <A>(operation: string, effect: Effect.Effect<A, HarnessError>) =>
      Effect.flatMap(Ref.get(finished), (over) =>
        over ? Effect.fail(new HarnessError({ harness: options.harness, operation, detail: "the session has ended" })) : effect
      )

    return { log, events, usage, activeTurn, finished, publish, end, finish, live }
  })
