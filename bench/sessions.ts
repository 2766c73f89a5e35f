import type { LoadOptions, LoadResult } from "../test/layers/runtime/loadScenario.js"
import { runBundled } from "./bundled.js"
import type { Figure } from "./figures.js"

const SESSIONS = 20
const EVENTS_PER_SESSION = 5000

/**
 * "20 sessions × 5,000 events, slow UI": scripted sessions stream as fast as the runtime takes
 * them, through the bus and the store writer into a WAL file store (`chunk_event_flush_ms` = 50),
 * while a `latest` UI subscriber reads 100 deliveries every 100 ms. Runs bundled in its own process
 * (bench/sessionsLoad.ts), as the installed program would.
 */
export const benchSessions = async (): Promise<ReadonlyArray<Figure>> => {
  const options: LoadOptions = { sessions: SESSIONS, eventsPerSession: EVENTS_PER_SESSION, flushMs: 50, uiCapacity: 1000, uiEvery: 100, uiBatch: 100 }
  const result = (await runBundled("bench/sessionsLoad.ts", options)) as Omit<LoadResult, "uiFirst"> & { readonly maxRssBytes: number }
  const total = SESSIONS * EVENTS_PER_SESSION
  return [
    { label: "events/s end to end into the file store", value: Math.round(total / result.seconds), unit: "events/s" },
    { label: "wall time for 100,000 events", value: result.seconds, unit: "s" },
    // The machine is shared: events per CPU-second of this process is the steadier figure.
    { label: "events per CPU-second of this process", value: Math.round(total / result.cpuSeconds), unit: "events/s" },
    { label: "peak RSS, whole process (kernel high-water mark)", value: Math.round(result.maxRssBytes / 2 ** 20), unit: "MB" },
    { label: "peak RSS until all events were stored (sampled every 10 ms)", value: Math.round(result.rssPeakBytes / 2 ** 20), unit: "MB" },
    { label: "RSS before the sessions started", value: Math.round(result.rssBeforeBytes / 2 ** 20), unit: "MB" },
    { label: "events lost (must be 0)", value: result.lost, unit: "events" },
    { label: "store rows after coalescing deltas", value: result.storedRows, unit: "rows" },
    { label: "producer wait time (sum over the 20 harness readers)", value: Math.round(result.producerWaitMillis), unit: "ms" },
    { label: "store subscriber max queue depth (capacity 4,096)", value: result.storeMaxDepth, unit: "events" },
    { label: "UI events dropped (shown as skip markers)", value: result.uiDropped, unit: "events" },
    { label: "UI deltas coalesced", value: result.uiCoalesced, unit: "events" },
    { label: "UI max queue depth (capacity 1,000)", value: result.uiMaxDepth, unit: "events" }
  ]
}
