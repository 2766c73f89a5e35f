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
const LATENCY_MS = 20
const RUNS = 3
const KEY = "lin_api_bench"

interface Run {
  readonly firstSeconds: number
  readonly firstEvents: number
  readonly againSeconds: number
  readonly againEvents: number
}

/** One fresh store: a full first sync, then a re-sync that must find everything unchanged. */
const oneRun = async (apiUrl: string, dir: string, n: number): Promise<Run> => {
  const Config = Layer.effect(
    AppConfig,
    Effect.map(
      configFromValue({ linear: { api_url: apiUrl, fetch_limit: TICKETS, sync_states: [] } }, dir),
      (config) => ({ ...config, secrets: { ...config.secrets, linearApiKey: Option.some(Redacted.make(KEY)) } })
    )
  )
  const Store = eventStoreOnFile(NodePath.join(dir, `events-${n}.sqlite`))
  const Tracker = TicketingLive.pipe(Layer.provide(NodeHttpClient.layerUndici))
  const timedSync = Effect.gen(function* () {
    const start = performance.now()
    const report = yield* syncTickets()
    return { seconds: (performance.now() - start) / 1000, events: report.events }
  })
  const program = Effect.gen(function* () {
    const first = yield* timedSync
    const again = yield* timedSync
    return { firstSeconds: first.seconds, firstEvents: first.events, againSeconds: again.seconds, againEvents: again.events }
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
    for (let n = 0; n < RUNS; n++) runs.push(await oneRun(fake.url, dir, n))
    const pages = fake.calls.filter((call) => call === "issues").length / (RUNS * 2)
    return [
      { label: `first sync of ${TICKETS} tickets, ${pages} pages × ${LATENCY_MS} ms (median of ${RUNS})`, value: median(runs.map((r) => r.firstSeconds)), unit: "s" },
      { label: "  events written by it", value: runs[0]?.firstEvents ?? 0, unit: "events" },
      { label: "re-sync, everything unchanged (median)", value: median(runs.map((r) => r.againSeconds)), unit: "s" },
      { label: "  events written by it", value: Math.max(...runs.map((r) => r.againEvents)), unit: "events" },
      { label: "floor: pages × latency", value: (pages * LATENCY_MS) / 1000, unit: "s" }
    ]
  } finally {
    await fake.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
