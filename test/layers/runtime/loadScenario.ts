import { Effect, Fiber, Layer, Schedule } from "effect"
import type { BusDelivery } from "../../../src/domain/bus.js"
import type { StoredEvent } from "../../../src/domain/events.js"
import { busyScript, scriptedHarness } from "../../../src/layers/harness/Scripted.js"
import { sessionRuntimeLayer } from "../../../src/layers/runtime/SessionRuntimeLive.js"
import { EventBusLive } from "../../../src/layers/eventBus/EventBusLive.js"
import { schedulerLayer } from "../../../src/layers/scheduler/SchedulerLive.js"
import { defaultStoreWriterOptions, startStoreWriter } from "../../../src/programs/storeWriter/storeWriter.js"
import { EventBus } from "../../../src/services/EventBus.js"
import type { EventStore } from "../../../src/services/EventStore.js"
import { EventStore as EventStoreTag } from "../../../src/services/EventStore.js"
import { SessionRuntime } from "../../../src/services/SessionRuntime.js"
import { isDelta } from "../../../src/domain/workerEvent.js"
import { request, testRuntimeOptions } from "./fixture.js"

export interface LoadOptions {
  readonly sessions: number
  readonly eventsPerSession: number
  readonly flushMs: number
  readonly uiCapacity: number
  /** The UI takes `uiBatch` deliveries this often; null: it never reads until the end. */
  readonly uiEvery: number | null
  readonly uiBatch: number
}

export interface LoadResult {
  readonly seconds: number
  /** CPU time this process spent (user + system) between the first start and the final flush. */
  readonly cpuSeconds: number
  /** Resident memory before the sessions started, and the peak until everything was stored (sampled every 10 ms). */
  readonly rssBeforeBytes: number
  readonly rssPeakBytes: number
  readonly published: number
  readonly storedRows: number
  /** Harness events not found in the store (deltas are counted by their text tokens). */
  readonly lost: number
  readonly producerWaitMillis: number
  readonly storeMaxDepth: number
  readonly uiDropped: number
  readonly uiCoalesced: number
  readonly uiMaxDepth: number
  /** What the UI took first once it read: a skip marker when it fell behind. */
  readonly uiFirst: BusDelivery | undefined
}

/** Counts harness events present in the store per session: whole events, plus each `<n>;` delta token. */
const countStored = (rows: ReadonlyArray<StoredEvent>): Map<string, number> => {
  const perSession = new Map<string, number>()
  for (const { event } of rows) {
    if (event._tag !== "SessionEvent") continue
    const n = isDelta(event.event) ? event.event.text.split(";").length - 1 : 1
    perSession.set(event.sessionId, (perSession.get(event.sessionId) ?? 0) + n)
  }
  return perSession
}

/**
 * N scripted sessions emit M events each as fast as they can; the store writer takes them losslessly
 * into `store`; a `latest` UI subscriber reads slowly (or never). Ends when everything is stored.
 */
export const runLoad = (options: LoadOptions, store: Layer.Layer<EventStore, unknown>) => {
  const base = Layer.mergeAll(
    EventBusLive,
    schedulerLayer({ maxConcurrentSessions: options.sessions, maxWaitingStarts: options.sessions }),
    scriptedHarness({ script: () => busyScript(options.eventsPerSession) })
  )
  const layer = sessionRuntimeLayer(testRuntimeOptions).pipe(Layer.provideMerge(base), Layer.provideMerge(store))
  return Effect.gen(function* () {
    const bus = yield* EventBus
    const runtime = yield* SessionRuntime
    const eventStore = yield* EventStoreTag
    const writer = yield* startStoreWriter(defaultStoreWriterOptions(options.flushMs))
    const ui = yield* bus.subscribe({ name: "ui", policy: "latest", capacity: options.uiCapacity })
    const uiEvery = options.uiEvery
    const uiReader =
      uiEvery === null
        ? undefined
        : yield* Effect.fork(Effect.forever(Effect.zipRight(Effect.sleep(uiEvery), ui.take(options.uiBatch))))

    const rssBeforeBytes = process.memoryUsage.rss()
    let rssPeakBytes = rssBeforeBytes
    const sampler = yield* Effect.fork(
      Effect.repeat(
        Effect.sync(() => {
          rssPeakBytes = Math.max(rssPeakBytes, process.memoryUsage.rss())
        }),
        Schedule.spaced("10 millis")
      )
    )
    const started = performance.now()
    const cpuBefore = process.cpuUsage()
    yield* Effect.forEach(Array.from({ length: options.sessions }, (_, i) => request(`load-${i}`)), runtime.start, { discard: true })
    // Test and benchmark code: polling the runtime is fine here.
    while ((yield* runtime.sessions).some((s) => s.state !== "Done")) yield* Effect.sleep("5 millis")
    yield* writer.flush
    const seconds = (performance.now() - started) / 1000
    const cpu = process.cpuUsage(cpuBefore)
    yield* Fiber.interrupt(sampler)
    if (uiReader !== undefined) yield* Fiber.interrupt(uiReader)

    const counters = yield* bus.counters
    const storeCounters = counters.subscribers.find((s) => s.name === "store")
    const uiCounters = counters.subscribers.find((s) => s.name === "ui")
    const uiFirst = (yield* ui.takeNow(1))[0]
    const rows = yield* eventStore.events({ types: ["SessionEvent"] })
    const stored = countStored(rows)
    let lost = 0
    for (let i = 0; i < options.sessions; i++) lost += options.eventsPerSession - (stored.get(`load-${i}`) ?? 0)
    return {
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      rssBeforeBytes,
      rssPeakBytes,
      published: counters.total.published,
      storedRows: rows.length,
      lost,
      producerWaitMillis: counters.total.producerWaitMillis,
      storeMaxDepth: storeCounters?.maxQueueDepth ?? 0,
      uiDropped: uiCounters?.dropped ?? 0,
      uiCoalesced: uiCounters?.coalesced ?? 0,
      uiMaxDepth: uiCounters?.maxQueueDepth ?? 0,
      uiFirst
    } satisfies LoadResult
  }).pipe(Effect.scoped, Effect.provide(layer))
}
