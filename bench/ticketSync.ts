import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer, Option, Redacted } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { performance } from "node:perf_hooks"
import { configFromValue } from "../src/layers/config/ConfigLive.js"
import { eventStoreOnFile } from "../src/layers/eventStore/EventStoreTest.js"
import { TicketingLive } from "../src/layers/ticketing/TicketingLive.js"
import { syncTickets } from "../src/programs/tickets/syncTickets.js"
import { AppConfig } from "../src/services/AppConfig.js"
import { linearIssue, startLinearFake } from "../test/fakes/linear/server.js"
import { type Figure, median } from "./figures.js"

const TICKETS = 2000
const PAGE = 50
const LATENCY_MS = 20
const RUNS = 3
const KEY = "lin_api_bench"

interface Timed {
  readonly seconds: number
  readonly events: number
  readonly requests: number
}

interface Run {
  readonly first: Timed
  /** The re-sync as it was before incremental syncs: every page again (`sync tickets --full`). */
  readonly againFull: Timed
  /** The re-sync now: only what changed since the first (one request when nothing did). */
  readonly again: Timed
}

/** One fresh store: a full first sync, then an unchanged re-sync listing everything, then an incremental one. */
const oneRun = async (apiUrl: string, calls: ReadonlyArray<string>, dir: string, n: number): Promise<Run> => {
  const Config = Layer.effect(
    AppConfig,
    Effect.map(
      configFromValue({ tracker: { sync_states: [], max_tickets: TICKETS }, linear: { api_url: apiUrl, fetch_limit: PAGE } }, dir),
      (config) => ({ ...config, secrets: { ...config.secrets, linearApiKey: Option.some(Redacted.make(KEY)) } })
    )
  )
  const Store = eventStoreOnFile(NodePath.join(dir, `events-${n}.sqlite`))
  const Tracker = TicketingLive.pipe(Layer.provide(NodeHttpClient.layerUndici))
  const timedSync = (full: boolean) =>
    Effect.gen(function* () {
      const before = calls.length
      const start = performance.now()
      const report = yield* syncTickets(undefined, { full })
      return { seconds: (performance.now() - start) / 1000, events: report.events, requests: calls.length - before }
    })
  const program = Effect.gen(function* () {
    const first = yield* timedSync(false)
    const againFull = yield* timedSync(true)
    const again = yield* timedSync(false)
    return { first, againFull, again }
  })
  return Effect.runPromise(program.pipe(Effect.provide(Tracker), Effect.provide(Layer.merge(Layer.fresh(Store), Config))))
}

/** `sync tickets` of 2,000 issues from the fake Linear: 50 per page, 20 ms per page, SQLite file store. */
export const benchTicketSync = async (): Promise<ReadonlyArray<Figure>> => {
  const dir = mkdtempSync(NodePath.join(tmpdir(), "orch-bench-sync-"))
  const fake = await startLinearFake({
    apiKey: KEY,
    latencyMs: LATENCY_MS,
    issues: Array.from({ length: TICKETS }, (_, i) => linearIssue(i + 1))
  })
  try {
    const runs: Array<Run> = []
    for (let n = 0; n < RUNS; n++) runs.push(await oneRun(fake.url, fake.calls, dir, n))
    const pages = runs[0]?.first.requests ?? 0
    const most = (pick: (run: Run) => number) => Math.max(...runs.map(pick))
    return [
      { label: `first sync of ${TICKETS} tickets, ${pages} pages × ${LATENCY_MS} ms (median of ${RUNS})`, value: median(runs.map((r) => r.first.seconds)), unit: "s" },
      { label: "  events written by it", value: runs[0]?.first.events ?? 0, unit: "events" },
      { label: "re-sync, unchanged, full listing (before; --full) (median)", value: median(runs.map((r) => r.againFull.seconds)), unit: "s" },
      { label: "  requests", value: most((r) => r.againFull.requests), unit: "requests" },
      { label: "  events written (its checkpoint: when the full listing was)", value: most((r) => r.againFull.events), unit: "events" },
      { label: "re-sync, unchanged, incremental (after) (median)", value: median(runs.map((r) => r.again.seconds)), unit: "s" },
      { label: "  requests", value: most((r) => r.again.requests), unit: "requests" },
      { label: "  events written", value: most((r) => r.again.events), unit: "events" },
      { label: "floor: pages × latency", value: (pages * LATENCY_MS) / 1000, unit: "s" }
    ]
  } finally {
    await fake.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
