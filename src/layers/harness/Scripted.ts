import { Cause, Chunk, Context, Deferred, Duration, Effect, Layer, Option, Queue, Ref, Stream } from "effect"
import { HarnessError } from "../../domain/errors.js"
import type { SessionId } from "../../domain/ids.js"
import type { WorkerEvent } from "../../domain/workerEvent.js"
import { Harness, type HarnessCapabilities, type HarnessHandle, type SessionSpec } from "../../services/Harness.js"

/** One scripted event, played `after` the previous one (zero: at once). */
export interface ScriptStep {
  readonly after: Duration.DurationInput
  readonly event: WorkerEvent
}

export const at = (after: Duration.DurationInput, event: WorkerEvent): ScriptStep => ({ after, event })
export const now = (event: WorkerEvent): ScriptStep => ({ after: Duration.zero, event })

export interface ScriptedOptions {
  /** What a freshly spawned session plays. */
  readonly script: (spec: SessionSpec) => ReadonlyArray<ScriptStep>
  /** What the session plays after each input (a new turn or a steer); `count` starts at 1. */
  readonly onInput?: (spec: SessionSpec, text: string, count: number) => ReadonlyArray<ScriptStep>
  /** What the session plays once an approval is answered (the turn that asked goes on). */
  readonly onApproval?: (spec: SessionSpec, requestId: string, decision: string) => ReadonlyArray<ScriptStep>
  /** How long `spawn` takes (to exercise timeouts); none by default. */
  readonly spawnDelay?: Duration.DurationInput
  /** A reason makes `spawn` fail with it. */
  readonly spawnFailure?: (spec: SessionSpec) => string | undefined
  /** What a resumed session plays; a reason string instead makes `resume` fail with it. */
  readonly onResume?: (spec: SessionSpec, harnessSessionId: string) => ReadonlyArray<ScriptStep> | string
  readonly capabilities?: Partial<HarnessCapabilities>
  /** The agent process exits once the first script has played (its stream ends without Done). */
  readonly exitAfterScript?: boolean
}

export interface ScriptedCall {
  readonly op: "spawn" | "resume" | "input" | "interrupt" | "answerInput" | "answerApproval" | "kill"
  readonly sessionId: SessionId
  readonly detail: string
}

/** Every call the scripted harness received, in order, for assertions. */
export class ScriptedHarnessLog extends Context.Tag("orchestrator/test/ScriptedHarnessLog")<
  ScriptedHarnessLog,
  { readonly calls: Effect.Effect<ReadonlyArray<ScriptedCall>> }
>() {}

const isFinal = (event: WorkerEvent): boolean => event._tag === "Done" || event._tag === "Crashed"

/** Steps that play together: the wait before the first, then it and every zero-delay step after it. */
interface Burst {
  readonly after: Duration.Duration
  readonly events: Chunk.Chunk<WorkerEvent>
}

const bursts = (steps: ReadonlyArray<ScriptStep>): ReadonlyArray<Burst> => {
  const out: Array<{ readonly after: Duration.Duration; readonly events: Array<WorkerEvent> }> = []
  for (const step of steps) {
    const after = Duration.decode(step.after)
    const last = out[out.length - 1]
    if (last !== undefined && Duration.toMillis(after) === 0) last.events.push(step.event)
    else out.push({ after, events: [step.event] })
  }
  return out.map((burst) => ({ after: burst.after, events: Chunk.unsafeFromArray(burst.events) }))
}

/** What the agent process hands over: a burst of events, or the end of its output. */
type Output = Chunk.Chunk<WorkerEvent> | "exited"

/**
 * Plays steps in order, each burst as one chunk (as a harness hands over what one read of the agent's
 * output held), so a busy script costs the runtime per burst, not per event.
 */
const playInto = (out: Queue.Queue<Output>, steps: ReadonlyArray<ScriptStep>): Effect.Effect<void> =>
  Effect.forEach(
    bursts(steps),
    (burst) => Effect.zipRight(Duration.toMillis(burst.after) === 0 ? Effect.void : Effect.sleep(burst.after), Queue.offer(out, burst.events)),
    { discard: true }
  )

/** The next burst; the stream ends when the agent exits or its output is shut (killed). */
const nextBurst = (out: Queue.Queue<Output>): Effect.Effect<Chunk.Chunk<WorkerEvent>, Option.Option<never>> =>
  Queue.take(out).pipe(
    Effect.catchAllCause((cause) =>
      Effect.flatMap(Queue.isShutdown(out), (shut) => (shut && Cause.isInterruptedOnly(cause) ? Effect.succeed("exited" as const) : Effect.failCause(cause)))
    ),
    Effect.flatMap((output) => (output === "exited" ? Effect.fail(Option.none()) : Effect.succeed(output)))
  )

const failure = (operation: string, detail: string) => new HarnessError({ harness: "harness.scripted", operation, detail })

/**
 * A harness that plays scripted worker events with timing (on the Clock, so TestClock drives it).
 * Its event stream ends after Done or Crashed, or when the session is killed.
 */
export const makeScriptedHarness = (options: ScriptedOptions) =>
  Effect.gen(function* () {
    const calls = yield* Ref.make<ReadonlyArray<ScriptedCall>>([])
    const record = (call: ScriptedCall) => Ref.update(calls, (list) => [...list, call])

    const open = (spec: SessionSpec, harnessSessionId: string, first: ReadonlyArray<ScriptStep>) =>
      Effect.gen(function* () {
        // Bounded: a test that sends more than this many unanswered inputs is itself wrong.
        const replies = yield* Queue.bounded<ReadonlyArray<ScriptStep>>(64)
        const killed = yield* Deferred.make<void>()
        const inputs = yield* Ref.make(0)
        const ensureAlive = (operation: string) =>
          Effect.flatMap(Deferred.isDone(killed), (done) =>
            done ? Effect.fail(failure(operation, `session ${spec.sessionId} was killed`)) : Effect.void
          )
        // The agent plays into a bounded buffer from its own fiber; kill shuts the buffer, which ends
        // the stream at once (cheaper than racing every pull against the kill).
        const out = yield* Queue.bounded<Output>(16)
        const agent = Effect.zipRight(
          playInto(out, first),
          options.exitAfterScript === true ? Queue.offer(out, "exited") : Effect.forever(Effect.flatMap(Queue.take(replies), (steps) => playInto(out, steps)))
        )
        const events = Stream.unwrapScoped(Effect.as(Effect.forkScoped(agent), Stream.repeatEffectChunkOption(nextBurst(out)))).pipe(
          Stream.takeUntil(isFinal)
        )
        const handle: HarnessHandle = {
          sessionId: spec.sessionId,
          harnessSessionId,
          events,
          sendInput: (text) =>
            Effect.gen(function* () {
              yield* ensureAlive("sendInput")
              yield* record({ op: "input", sessionId: spec.sessionId, detail: text })
              const count = yield* Ref.updateAndGet(inputs, (n) => n + 1)
              yield* Queue.offer(replies, options.onInput?.(spec, text, count) ?? [])
            }),
          interrupt: Effect.zipRight(ensureAlive("interrupt"), record({ op: "interrupt", sessionId: spec.sessionId, detail: "" })),
          answerInput: (requestId, answers) =>
            Effect.zipRight(
              ensureAlive("answerInput"),
              record({ op: "answerInput", sessionId: spec.sessionId, detail: `${requestId} ${JSON.stringify(answers)}` })
            ),
          answerApproval: (requestId, decision) =>
            Effect.zipRight(
              ensureAlive("answerApproval"),
              Effect.zipRight(
                record({ op: "answerApproval", sessionId: spec.sessionId, detail: `${requestId} ${decision}` }),
                options.onApproval === undefined ? Effect.void : Queue.offer(replies, options.onApproval(spec, requestId, decision))
              )
            ),
          kill: Effect.zipRight(
            record({ op: "kill", sessionId: spec.sessionId, detail: "" }),
            Effect.zipRight(Deferred.succeed(killed, undefined), Queue.shutdown(out))
          )
        }
        return handle
      })

    const harness = Harness.of({
      id: "harness.scripted",
      capabilities: { steer: true, interrupt: true, resume: true, approvals: true, needsInput: true, ...options.capabilities },
      health: Effect.succeed("scripted harness"),
      spawn: (spec) =>
        Effect.gen(function* () {
          yield* record({ op: "spawn", sessionId: spec.sessionId, detail: spec.worktreePath })
          if (options.spawnDelay !== undefined) yield* Effect.sleep(options.spawnDelay)
          const reason = options.spawnFailure?.(spec)
          if (reason !== undefined) return yield* Effect.fail(failure("spawn", reason))
          return yield* open(spec, `scripted-${spec.sessionId}`, options.script(spec))
        }),
      resume: (spec, harnessSessionId) =>
        Effect.gen(function* () {
          yield* record({ op: "resume", sessionId: spec.sessionId, detail: harnessSessionId })
          const plan = options.onResume?.(spec, harnessSessionId) ?? []
          if (typeof plan === "string") return yield* Effect.fail(failure("resume", plan))
          return yield* open(spec, harnessSessionId, plan)
        })
    })
    return { harness, log: ScriptedHarnessLog.of({ calls: Ref.get(calls) }) }
  })

export const scriptedHarness = (options: ScriptedOptions): Layer.Layer<Harness | ScriptedHarnessLog> =>
  Layer.effectContext(
    Effect.map(makeScriptedHarness(options), ({ harness, log }) =>
      Context.make(Harness, harness).pipe(Context.add(ScriptedHarnessLog, log))
    )
  )

/**
 * A busy session for load tests and benchmarks: exactly `count` events (count ≥ 3) at once — a turn
 * of text deltas, reasoning and commands, then Done. Delta texts are `<index>;` so a reader can check
 * that every one arrived, in order, even after coalescing.
 */
export const busyScript = (count: number): ReadonlyArray<ScriptStep> => {
  const steps: Array<ScriptStep> = [now({ _tag: "TurnStarted", turnId: "t1" })]
  for (let i = 1; i < count - 2; i++) {
    const item = `m${Math.floor(i / 50)}`
    steps.push(
      now(
        i % 25 === 0
          ? { _tag: "CommandExecution", itemId: `c${i}`, command: "npm test", cwd: null, status: "completed", output: "ok", exitCode: 0 }
          : i % 10 === 0
            ? { _tag: "ReasoningDelta", itemId: `r${item}`, text: `${i};` }
            : { _tag: "TextDelta", itemId: item, text: `${i};` }
      )
    )
  }
  steps.push(now({ _tag: "TurnCompleted", turnId: "t1", status: "completed", usage: { input: count, output: count, total: 2 * count }, error: null }))
  steps.push(now({ _tag: "Done", reason: "script finished" }))
  return steps
}
