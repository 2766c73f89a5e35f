import { Effect, Layer, Redacted } from "effect"
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { chromium } from "playwright-core"
import { envelope } from "../src/domain/bus.js"
import { defaultWorkflowStateMap } from "../src/domain/config.js"
import { SessionEvent } from "../src/domain/events.js"
import { SessionId } from "../src/domain/ids.js"
import { configFromValue } from "../src/layers/config/ConfigLive.js"
import { eventStoreOnFile } from "../src/layers/eventStore/EventStoreTest.js"
import { makeLocal } from "../src/layers/ticketing/Local.js"
import { defaultStoreWriterOptions, startStoreWriter } from "../src/programs/storeWriter/storeWriter.js"
import { startWebServer } from "../src/programs/web/webServer.js"
import { AppConfig } from "../src/services/AppConfig.js"
import { EventBus } from "../src/services/EventBus.js"
import { SessionRuntime } from "../src/services/SessionRuntime.js"
import { Ticketing } from "../src/services/Ticketing.js"
import { request, runtimeLayer } from "../test/layers/runtime/fixture.js"
import { testWorkflowLayer } from "../test/programs/run/testWorkflow.js"
import { type Figure, median } from "./figures.js"
import { streamingScript } from "./ui.js"

const SESSIONS = 20
/** Long enough that every measuring window falls inside the stream, Chromium's start-up included. */
const SECONDS = 30
/** Long enough for a stalled client's socket buffers (several MB on loopback) to fill: from then on it costs nothing. */
const WARM_UP_MS = 10000
const MEASURE_MS = 6000
const PROBES = 20

/**
 * An SSE client in its own process that stops reading after the headers, following one session as
 * the page does. (A client of the whole stream costs about one more decode per event until its
 * socket buffers, several MB on loopback, are full.)
 */
const clientScript = `
const http = require("node:http")
const [url, token, mode] = process.argv.slice(1)
http.get(url, { headers: { authorization: "Bearer " + token } }, (res) => {
  if (mode === "stalled") { res.pause(); return }
  res.on("data", () => {})
})
setInterval(() => {}, 1000)
`

type Mode = "none" | "live" | "stalled"

const measure = async (mode: Mode) => {
  const dir = mkdtempSync(NodePath.join(tmpdir(), "orchestrator-bench-web-"))
  const storePath = NodePath.join(dir, "events.sqlite")
  const config = Layer.effect(AppConfig, configFromValue({ event_store_path: storePath, web: { host: "127.0.0.1", port: 0 } }, dir))
  const layer = testWorkflowLayer("").pipe(
    Layer.provideMerge(Layer.effect(Ticketing, makeLocal(defaultWorkflowStateMap))),
    Layer.provideMerge(runtimeLayer({ script: () => streamingScript(SECONDS) }, { maxConcurrentSessions: SESSIONS })),
    Layer.provideMerge(eventStoreOnFile(storePath)),
    Layer.provideMerge(config)
  )
  const program = Effect.gen(function* () {
    yield* startStoreWriter(defaultStoreWriterOptions(50))
    const runtime = yield* SessionRuntime
    const bus = yield* EventBus
    const server = mode === "none" ? null : yield* startWebServer()
    const token = server === null ? "" : (Redacted.value(server.openUrl).split("token=")[1] ?? "")
    const browser = mode === "live" ? yield* Effect.acquireRelease(
      Effect.promise(() =>
        chromium.launch({
          executablePath: "/usr/bin/chromium",
          headless: true,
          args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
        })
      ),
      (b) => Effect.promise(() => b.close())
    ) : null
    if (mode === "stalled" && server !== null) {
      yield* Effect.acquireRelease(
        Effect.sync(() => spawn(process.execPath, ["-e", clientScript, `${server.url}api/events?after=0&session=s0`, token, "stalled"], { stdio: "ignore" })),
        (child) => Effect.sync(() => child.kill("SIGKILL"))
      )
    }
    const page = browser === null || server === null ? null : yield* Effect.promise(async () => {
      const page = await browser.newPage()
      await page.goto(Redacted.value(server.openUrl))
      await page.getByTestId("connection").filter({ hasText: "live" }).waitFor({ timeout: 20_000 })
      return page
    })
    yield* Effect.forEach(Array.from({ length: SESSIONS }, (_, i) => `s${i}`), (name) => runtime.start(request(name)), { concurrency: SESSIONS, discard: true })
    if (page !== null) yield* Effect.promise(async () => {
      await page.getByTestId("session").filter({ hasText: /^s0\b/ }).first().waitFor({ timeout: 20_000 })
      await page.getByTestId("session").filter({ hasText: /^s0\b/ }).first().click({ force: true })
      await page.getByTestId("transcript").waitFor()
    })
    yield* Effect.sleep(`${WARM_UP_MS} millis`)
    const published0 = (yield* bus.counters).total.published
    const cpu0 = process.cpuUsage()
    const wall0 = performance.now()
    const latencies: Array<number> = []
    if (page !== null) {
      const gap = MEASURE_MS / PROBES
      for (let i = 0; i < PROBES; i++) {
        const text = `probe-${i}-${Math.random().toString(36).slice(2, 8)}`
        const started = performance.now()
        yield* bus.publish(envelope(new SessionEvent({ sessionId: SessionId.make("s0"), event: { _tag: "Message", itemId: `probe-${i}`, text } })))
        yield* Effect.promise(() =>
          page.waitForFunction((t) => document.querySelector('[data-testid="transcript"]')?.textContent?.includes(t) === true, text, { polling: "raf", timeout: 20_000 })
        )
        latencies.push(performance.now() - started)
        yield* Effect.sleep(`${Math.max(0, gap - (performance.now() - started))} millis`)
      }
    } else yield* Effect.sleep(`${MEASURE_MS} millis`)
    const wall = performance.now() - wall0
    const cpu = process.cpuUsage(cpu0)
    const published = (yield* bus.counters).total.published - published0
    const cpuMs = (cpu.user + cpu.system) / 1000
    return { cpuPercent: (cpuMs / wall) * 100, rate: Math.round(published / (wall / 1000)), perThousand: published === 0 ? 0 : (cpuMs / published) * 1000, latencies }
  })
  try {
    return await Effect.runPromise(Effect.scoped(program).pipe(Effect.provide(layer)))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * The engine (runtime, bus, store writer on a WAL file) under 20 sessions × 200 events/s: without
 * the web server; with it and Chromium following one session live; with it and one SSE client that
 * stopped reading. The page's latency is a probe message published on the bus until its text shows
 * in Chromium (store flush, the feed's poll, the stream, the page's next frame).
 */
export const benchWeb = async (): Promise<ReadonlyArray<Figure>> => {
  // The machine is shared: runs without and with the stalled client alternate, and each figure is their mean.
  const none1 = await measure("none")
  const stalled1 = await measure("stalled")
  const none2 = await measure("none")
  const stalled2 = await measure("stalled")
  const live = await measure("live")
  const mean = (a: number, b: number) => (a + b) / 2
  const both = (a: typeof none1, b: typeof none1) => ({
    cpuPercent: mean(a.cpuPercent, b.cpuPercent),
    rate: Math.round(mean(a.rate, b.rate)),
    perThousand: mean(a.perThousand, b.perThousand)
  })
  const none = both(none1, none2)
  const stalled = both(stalled1, stalled2)
  const sorted = [...live.latencies].sort((a, b) => a - b)
  return [
    { label: "engine CPU, no web server (% of one core)", value: none.cpuPercent, unit: "%" },
    { label: "engine CPU, web server + Chromium following s0", value: live.cpuPercent, unit: "%" },
    { label: "engine CPU, web server + one stalled SSE client", value: stalled.cpuPercent, unit: "%" },
    { label: "events/s, no web server (target 4,000)", value: none.rate, unit: "events/s" },
    { label: "events/s, Chromium following live", value: live.rate, unit: "events/s" },
    { label: "events/s, one stalled SSE client", value: stalled.rate, unit: "events/s" },
    { label: "stalled client vs none, events/s", value: none.rate === 0 ? 0 : (stalled.rate / none.rate) * 100, unit: "%" },
    // The rate follows the scripted timers, which a busy shared machine delays: CPU per event is steadier.
    { label: "CPU per 1,000 events, no web server", value: none.perThousand, unit: "ms" },
    { label: "CPU per 1,000 events, Chromium following live", value: live.perThousand, unit: "ms" },
    { label: "CPU per 1,000 events, one stalled SSE client", value: stalled.perThousand, unit: "ms" },
    { label: "event appended → text in Chromium, median", value: median(live.latencies), unit: "ms" },
    { label: `event appended → text in Chromium, worst of ${PROBES}`, value: sorted[sorted.length - 1] ?? 0, unit: "ms" }
  ]
}
