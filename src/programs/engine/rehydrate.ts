import { Effect, Option } from "effect"
import type { ApprovalPolicy, SandboxMode } from "../../domain/config.js"
import type { SessionId } from "../../domain/ids.js"
import { isTerminalSessionState, type SessionRow } from "../../domain/session.js"
import { EventStore } from "../../services/EventStore.js"
import { Harness, type SessionSpec } from "../../services/Harness.js"
import { SessionRuntime } from "../../services/SessionRuntime.js"

export interface RehydrateDefaults {
  readonly approvalPolicy: typeof ApprovalPolicy.Type
  readonly sandbox: typeof SandboxMode.Type
}

export interface RehydrateReport {
  readonly resumed: ReadonlyArray<SessionId>
  readonly crashed: ReadonlyArray<{ readonly sessionId: SessionId; readonly reason: string }>
}

/** Resumes started in parallel; each still waits for a concurrency slot. */
const RESUME_CONCURRENCY = 4

type Outcome = { readonly _tag: "Resumed"; readonly sessionId: SessionId } | { readonly _tag: "Crashed"; readonly sessionId: SessionId; readonly reason: string }

/**
 * After a restart: every session the store still shows as live is resumed through the harness
 * with its stored harness session id, or recorded as Crashed with the reason it cannot come back.
 * Nothing is spawned anew, so no second worktree, branch or PR can appear.
 */
export const rehydrate = (defaults: RehydrateDefaults) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const harness = yield* Harness
    const runtime = yield* SessionRuntime
    // Only the live ones are read: ended history is never visited.
    const live = (yield* store.sessions({ live: true })).filter((row) => !isTerminalSessionState(row.state))

    const crash = (row: SessionRow, reason: string) =>
      Effect.as(runtime.markCrashed(row.id, row.state, reason), { _tag: "Crashed", sessionId: row.id, reason } satisfies Outcome)

    const one = (row: SessionRow) =>
      Effect.gen(function* () {
        const binding = yield* store.harnessBinding(row.id)
        if (Option.isNone(binding)) {
          if (harness.abandon !== undefined) yield* harness.abandon({ sessionId: row.id, worktreePath: row.worktreePath })
          return yield* crash(row, "restart: no harness session was recorded, so it cannot be resumed")
        }
        if (binding.value.harness !== harness.id) {
          return yield* crash(row, `restart: it ran on ${binding.value.harness}, but this run uses ${harness.id}`)
        }
        if (!harness.capabilities.resume) return yield* crash(row, `restart: ${harness.id} cannot resume sessions`)
        const spec: SessionSpec = {
          sessionId: row.id,
          worktreePath: row.worktreePath,
          model: row.model,
          // The harness keeps the session's own instructions and history; resume adds none.
          instructions: "",
          env: {},
          approvalPolicy: defaults.approvalPolicy,
          sandbox: defaults.sandbox
        }
        return yield* runtime
          .resume({
            spec,
            workItemId: row.workItemId,
            ticketId: row.ticketId,
            state: row.state,
            harnessSessionId: binding.value.harnessSessionId
          })
          .pipe(
            Effect.as<Outcome>({ _tag: "Resumed", sessionId: row.id }),
            Effect.catchTags({
              SessionAlreadyLive: () => Effect.succeed<Outcome>({ _tag: "Resumed", sessionId: row.id }),
              StartQueueFull: (error) => crash(row, `restart: ${error.message}`)
            }),
            // runtime.resume already recorded the Crashed state with this reason.
            Effect.catchAll((error) => Effect.succeed<Outcome>({ _tag: "Crashed", sessionId: row.id, reason: `resume failed: ${error.message}` }))
          )
      })

    const outcomes = yield* Effect.forEach(live, one, { concurrency: RESUME_CONCURRENCY })
    return {
      resumed: outcomes.flatMap((o) => (o._tag === "Resumed" ? [o.sessionId] : [])),
      crashed: outcomes.flatMap((o) => (o._tag === "Crashed" ? [{ sessionId: o.sessionId, reason: o.reason }] : []))
    } satisfies RehydrateReport
  })
