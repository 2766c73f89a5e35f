// The Harness port for a coordinator: each agent runs on the runner whose disk holds its worktree (the
// runner named in the worktree's located path), as an agent-session entity of @effect/cluster. The
// session runtime above sees an ordinary harness handle.
//
// A runner that dies takes its agents with it. The handle's event stream does not end then: the
// cluster holds the next read until the runner is back, the handle resumes the session there (Codex
// `thread/resume`, the same OpenCode session), and a turn that was running is sent again, unless its
// input was still unanswered: commands are persisted messages, which the cluster delivers again itself.
import type { Sharding } from "@effect/cluster"
import { Cause, Duration, Effect, Layer, Option, Ref, Schedule, Stream } from "effect"
import { BinaryUnavailable, HarnessError } from "../../../domain/errors.js"
import type { HarnessId } from "../../../domain/session.js"
import { parseLocatedPath } from "../../../domain/runner.js"
import type { WorkerEvent } from "../../../domain/workerEvent.js"
import { AppConfig } from "../../../services/AppConfig.js"
import { Harness, type HarnessCapabilities, type HarnessHandle, type SessionSpec } from "../../../services/Harness.js"
import { chooseProvider } from "../../config/providerChoice.js"
import { AgentSessionEntity, agentSessionEntityId, type Opened, type RemoteSpec } from "../../cluster/agentSessionEntity.js"
import { remoteInterruptAs, stoppedCall } from "../../cluster/stoppedCall.js"
import type { HarnessProviderRow } from "../providers.js"

type Client = ReturnType<Effect.Effect.Success<typeof AgentSessionEntity.client>>

/** Reconnecting to a runner that is away: every 2 s, for as long as it takes. */
const reconnectEvery = Schedule.spaced("2 seconds")

/** How long a coordinator starting up waits to stop an abandoned agent on a runner. */
const ABANDON_WAIT = Duration.seconds(10)

const isHarnessError = (error: unknown): error is HarnessError => error instanceof HarnessError

/** A call its runner stopped (its entities restarting) fails like one whose runner is away. */
const stopped = remoteInterruptAs(() => new Error(stoppedCall))

const make = (id: HarnessId, capabilities: HarnessCapabilities) =>
  Effect.gen(function* () {
    const clientFor = yield* AgentSessionEntity.client

    /** Every failure of the cluster (runner away, storage, transport) as the harness's own error. */
    const asHarnessError =
      (runner: string, operation: string) =>
      (error: unknown): HarnessError =>
        isHarnessError(error)
          ? error
          : new HarnessError({ harness: id, operation, detail: `runner ${runner}: ${error instanceof Error ? error.message : String(error)}` })

    const open = (spec: SessionSpec, operation: string, request: (client: Client, remote: typeof RemoteSpec.Type) => Effect.Effect<Opened, unknown>) =>
      Effect.gen(function* () {
        const at = parseLocatedPath(spec.worktreePath)
        if (Option.isNone(at)) {
          return yield* new HarnessError({ harness: id, operation, detail: `${spec.worktreePath} is not on a runner (expected runner:/path)` })
        }
        const { runner, path } = at.value
        const client = clientFor(agentSessionEntityId(runner, spec.sessionId))
        const remote = { ...spec, worktreePath: path }
        const fail = asHarnessError(runner, operation)
        const opened = yield* Effect.catchAll(stopped(request(client, remote)), (error) =>
          Effect.fail(error instanceof BinaryUnavailable ? error : fail(error))
        )
        return handle(runner, client, remote, opened)
      })

    const handle = (runner: string, client: Client, remote: typeof RemoteSpec.Type, opened: Opened): HarnessHandle => {
      // The first input of the turn in flight, sent again when the runner comes back without it;
      // `unanswered` while its Input has no reply yet.
      const turn = Ref.unsafeMake<{ readonly running: boolean; readonly input: string | null; readonly unanswered: boolean }>({
        running: opened.turnRunning,
        input: null,
        unanswered: false
      })
      const track = (event: WorkerEvent) =>
        event._tag === "TurnStarted"
          ? Ref.update(turn, (t) => ({ ...t, running: true }))
          : event._tag === "TurnCompleted"
            ? Ref.set(turn, { running: false, input: null, unanswered: false })
            : Effect.void

      const reconnect = Effect.gen(function* () {
        // Read before the Resume: an Input the runner died in is delivered again by the cluster to the
        // runner that came back, where it waits for this Resume; sending it too would run it twice.
        const lost = yield* Ref.get(turn)
        const again = yield* stopped(client.Resume({ spec: remote, harnessSessionId: opened.harnessSessionId })).pipe(
          Effect.tapError((error) => Effect.logWarning(`runner ${runner}: resuming ${remote.sessionId}: ${String(error)}`)),
          Effect.retry(reconnectEvery)
        )
        if (!again.attached && lost.running && lost.input !== null && !lost.unanswered) {
          yield* Effect.logInfo(`runner ${runner} is back: ${remote.sessionId}'s turn runs again`)
          yield* Effect.retry(stopped(client.Input({ text: lost.input })), reconnectEvery)
        }
      })

      // A stream its runner stopped (the cluster restarting its entities) is followed again like one whose runner went away.
      const follow: Stream.Stream<WorkerEvent, HarnessError> = Stream.suspend(() => client.Events()).pipe(
        Stream.catchAllCause((cause) => (Cause.isInterruptedOnly(cause) ? Stream.fail(new Error(stoppedCall)) : Stream.failCause(cause))),
        Stream.tap(track),
        Stream.catchAll((error) =>
          isHarnessError(error) ? Stream.fail(error) : Stream.unwrap(Effect.as(Effect.orDie(reconnect), follow))
        )
      )

      const command = (operation: string, effect: Effect.Effect<void, unknown>) =>
        Effect.mapError(stopped(effect), asHarnessError(runner, operation))

      return {
        sessionId: remote.sessionId,
        harnessSessionId: opened.harnessSessionId,
        events: follow,
        sendInput: (text) =>
          Effect.flatMap(
            Ref.modify(turn, (t) => (t.running || t.input !== null ? [false, t] : [true, { running: t.running, input: text, unanswered: true }])),
            (first) =>
              command("input", client.Input({ text })).pipe(
                Effect.ensuring(first ? Ref.update(turn, (t) => (t.input === text ? { ...t, unanswered: false } : t)) : Effect.void)
              )
          ),
        interrupt: command("interrupt", client.Interrupt()),
        answerInput: (requestId, answers) => command("answer", client.AnswerInput({ requestId, answers })),
        answerApproval: (requestId, decision) => command("approve", client.AnswerApproval({ requestId, decision })),
        kill: Effect.ignore(stopped(client.Kill())),
        ...(opened.attached || opened.inputWaiting
          ? { kept: { turnRunning: opened.turnRunning, unread: opened.unread, inputWaiting: opened.inputWaiting } }
          : {})
      }
    }

    return Harness.of({
      id,
      capabilities,
      health: Effect.succeed("on the cluster's runners"),
      spawn: (spec) => open(spec, "start", (client, remote) => client.Start({ spec: remote })),
      resume: (spec, harnessSessionId) => open(spec, "resume", (client, remote) => client.Resume({ spec: remote, harnessSessionId })),
      // A Start that reached the runner before the coordinator died left an agent there that no one
      // will drive: it goes, and frees its slot. A runner that is away has lost its agents anyway.
      abandon: ({ sessionId, worktreePath }) =>
        Option.match(parseLocatedPath(worktreePath), {
          onNone: () => Effect.void,
          onSome: ({ runner }) =>
            stopped(clientFor(agentSessionEntityId(runner, sessionId)).Kill()).pipe(Effect.timeout(ABANDON_WAIT), Effect.ignore)
        })
    })
  })

/** The harness `harness_provider` names, run on the cluster's runners; needs the cluster's sharding. */
export const clusterHarnessFrom = (rows: ReadonlyArray<HarnessProviderRow>): Layer.Layer<Harness, never, AppConfig | Sharding.Sharding> =>
  Layer.effect(
    Harness,
    Effect.gen(function* () {
      const config = yield* AppConfig
      const row = yield* Effect.orDie(chooseProvider(config.file, "harness_provider", rows, config.settings.harness_provider))
      return yield* make(row.id, row.capabilities)
    })
  )
