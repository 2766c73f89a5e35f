import { Effect, Layer } from "effect"
import type { DomainEvent } from "../../../src/domain/events.js"
import { SessionId } from "../../../src/domain/ids.js"
import { EventBusLive } from "../../../src/layers/eventBus/EventBusLive.js"
import { type ScriptedOptions, scriptedHarness } from "../../../src/layers/harness/Scripted.js"
import { type RuntimeOptions, sessionRuntimeLayer } from "../../../src/layers/runtime/SessionRuntimeLive.js"
import { schedulerLayer } from "../../../src/layers/scheduler/SchedulerLive.js"
import { EventBus } from "../../../src/services/EventBus.js"
import type { SessionSpec } from "../../../src/services/Harness.js"

export const testRuntimeOptions: RuntimeOptions = {
  stall: { timeoutMs: 30_000, baseMs: 10_000, capMs: 60_000, maxRetries: 3 },
  stallCheckEvery: "1 second",
  checkpointEvery: "1000 seconds",
  spawnTimeout: "30 seconds",
  killGrace: "5 seconds"
}

/** Bus, scheduler, scripted harness and the runtime on top, fresh per test. */
export const runtimeLayer = (
  script: ScriptedOptions,
  options: { readonly runtime?: Partial<RuntimeOptions>; readonly maxConcurrentSessions?: number } = {}
) => {
  const base = Layer.mergeAll(
    EventBusLive,
    schedulerLayer({ maxConcurrentSessions: options.maxConcurrentSessions ?? 4, maxWaitingStarts: 8 }),
    scriptedHarness(script)
  )
  return sessionRuntimeLayer({ ...testRuntimeOptions, ...options.runtime }).pipe(Layer.provideMerge(base))
}

export const sid = (name: string) => SessionId.make(name)

export const spec = (name: string): SessionSpec => ({
  sessionId: sid(name),
  worktreePath: `/work/${name}`,
  model: null,
  instructions: "work the ticket",
  env: {},
  approvalPolicy: "on-request",
  sandbox: "workspace-write"
})

export const request = (name: string, prompt: string | null = null) => ({ spec: spec(name), workItemId: null, ticketId: null, prompt })

/** Lets forked fibers (readers, the scheduler loop) run without moving the TestClock. */
export const settle = Effect.repeatN(Effect.yieldNow(), 50)

/** Everything published on the bus from now on, read without waiting. */
export const recordBus = Effect.gen(function* () {
  const bus = yield* EventBus
  const subscription = yield* bus.subscribe({ name: "test", policy: "lossless", capacity: 100_000 })
  const seen: Array<DomainEvent> = []
  return Effect.gen(function* () {
    yield* settle
    for (const d of yield* subscription.takeNow(100_000)) if (d._tag === "Event") seen.push(d.envelope.event)
    const snapshot: ReadonlyArray<DomainEvent> = seen
    return snapshot
  })
})

export const stateChanges = (events: ReadonlyArray<DomainEvent>, sessionId: string) =>
  events.flatMap((e) => (e._tag === "SessionStateChanged" && e.sessionId === sessionId ? [`${e.from}->${e.to}`] : []))
