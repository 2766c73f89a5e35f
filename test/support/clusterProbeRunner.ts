// A runner process for the cluster tests: the real sharding of `orchestrator runner` (runnerSharding)
// and the real agent-session entities (agentSessionsLayer), over a scripted harness that runs nothing
// and prints what it is asked, one line each, so a test counts what reached the runner:
//   spawn <session id>   resume <session id>   input <session id> <text>   kill <session id>
// Run as `node --import tsx clusterProbeRunner.ts NAME PORT DATABASE_URL [hold]`; it prints
// `probe NAME joined` once its entities are registered. With `hold`, an input whose text starts with
// "hold" is printed, starts a turn and is never answered (a runner killed mid-command).
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Effect, Layer, Queue, Redacted, Stream } from "effect"
import type { WorkerEvent } from "../../src/domain/workerEvent.js"
import { runnerSharding } from "../../src/layers/cluster/runner.js"
import { agentSessionsLayer } from "../../src/layers/cluster/sessionHost.js"
import { clusterPostgres } from "../../src/layers/eventStore/postgres/postgresStore.js"
import { Harness, type HarnessHandle, type SessionSpec } from "../../src/services/Harness.js"

const [name = "", port = "", url = "", mode = ""] = process.argv.slice(2)

const say = (line: string) => Console.log(line)

const handleFor = (spec: SessionSpec, harnessSessionId: string) =>
  Effect.map(Queue.bounded<WorkerEvent>(64), (queue): HarnessHandle => ({
    sessionId: spec.sessionId,
    harnessSessionId,
    events: Stream.fromQueue(queue),
    sendInput: (text) =>
      Effect.zipRight(
        say(`input ${spec.sessionId} ${text}`),
        mode === "hold" && text.startsWith("hold") ? Effect.zipRight(Queue.offer(queue, { _tag: "TurnStarted", turnId: "held" }), Effect.never) : Effect.void
      ),
    interrupt: Effect.void,
    answerInput: () => Effect.void,
    answerApproval: () => Effect.void,
    kill: Effect.zipRight(say(`kill ${spec.sessionId}`), Queue.shutdown(queue))
  }))

const scripted = Harness.of({
  id: "harness.codex",
  capabilities: { steer: true, interrupt: true, resume: true, approvals: true, needsInput: true },
  health: Effect.succeed("scripted"),
  spawn: (spec) => Effect.zipRight(say(`spawn ${spec.sessionId}`), handleFor(spec, `thread-${spec.sessionId}`)),
  resume: (spec, harnessSessionId) => Effect.zipRight(say(`resume ${spec.sessionId}`), handleFor(spec, harnessSessionId))
})

const database = clusterPostgres(Redacted.make(url), 4)

const runner = agentSessionsLayer(name, "probe-host", 8).pipe(
  Layer.provide(Layer.succeed(Harness, scripted)),
  Layer.provideMerge(runnerSharding({ name, host: "127.0.0.1", port: Number(port), maxSessions: 8 })),
  Layer.provide(database)
)

Effect.gen(function* () {
  yield* Layer.build(runner)
  yield* say(`probe ${name} joined`)
  return yield* Effect.never
}).pipe(Effect.scoped, NodeRuntime.runMain)
