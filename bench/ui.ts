import { Effect, Layer } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { defaultWorkflowStateMap } from "../src/domain/config.js"
import type { WorkerEvent } from "../src/domain/workerEvent.js"
import { eventStoreOnFile } from "../src/layers/eventStore/EventStoreTest.js"
import { at, now, type ScriptStep } from "../src/layers/harness/Scripted.js"
import { makeLocal } from "../src/layers/ticketing/Local.js"
import { defaultBridgeOptions, makeUiBridge } from "../src/programs/run/bridge.js"
import { defaultStoreWriterOptions, startStoreWriter } from "../src/programs/storeWriter/storeWriter.js"
import { EventBus } from "../src/services/EventBus.js"
import { SessionRuntime } from "../src/services/SessionRuntime.js"
import { Ticketing } from "../src/services/Ticketing.js"
import { request, runtimeLayer } from "../test/layers/runtime/fixture.js"
import { testWorkflowLayer } from "../test/programs/run/testWorkflow.js"
import { type Figure, median } from "./figures.js"
import { Keyboard, Screen } from "./uiTerminal.js"

const SESSIONS = 20
const EVENTS_PER_SECOND = 200
const SECONDS = 12
/** Events arrive in bursts every 50 ms (as harness output does), 10 per burst at 200 events/s. */
const BURST_MS = 50
const WARM_UP_MS = 1500
const MEASURE_MS = 6000
const KEY_SAMPLES = 20

/**
 * A message delta of a long paragraph: about 60 characters of words, so each message block grows to
 * some 2,000 characters on one line, which the screen wraps to its width (as an agent's plan or
 * summary does) while it streams.
 */
const paragraphWords = (i: number): string => `word ${i} of a long paragraph that wraps over several lines, `

/** One session's stream: text, reasoning and command output deltas, 200 a second for `seconds`. */
export const streamingScript = (seconds = SECONDS): ReadonlyArray<ScriptStep> => {
  const perBurst = (EVENTS_PER_SECOND * BURST_MS) / 1000
  const steps: Array<ScriptStep> = [now({ _tag: "TurnStarted", turnId: "t1" })]
  for (let i = 0; i < EVENTS_PER_SECOND * seconds; i++) {
    const item = `i${Math.floor(i / 100)}`
    const event: WorkerEvent =
      i % 3 === 0
        ? { _tag: "TextDelta", itemId: `m${item}`, text: paragraphWords(i) }
        : i % 3 === 1
          ? { _tag: "ReasoningDelta", itemId: `r${item}`, text: `thought ${i} ` }
          : { _tag: "CommandOutputDelta", itemId: `c${item}`, text: `out ${i}\n` }
    steps.push(i % perBurst === 0 ? at(`${BURST_MS} millis`, event) : now(event))
  }
  return steps
}

/**
 * The UI process under load: 20 scripted sessions each stream 200 events/s through the real bus,
 * session runtime, store writer (WAL file store) and UI bridge into the Ink screen (a stand-in
 * terminal of 140×40), one session focused. Measures this process's CPU over a window, and how
 * long a key press (`?`, the help overlay) takes to show on screen, repeatedly during the load.
 */
export const benchUi = async (): Promise<ReadonlyArray<Figure>> => {
  // React's development build does several times the work per render; what ships must be the
  // production one (scripts/build.mjs should define process.env.NODE_ENV; see the report).
  process.env["NODE_ENV"] ??= "production"
  const screen = await measure(true)
  const engineOnly = await measure(false)
  return [...screen, ...engineOnly]
}

const measure = async (withScreen: boolean): Promise<ReadonlyArray<Figure>> => {
  const dir = mkdtempSync(NodePath.join(tmpdir(), "orchestrator-bench-ui-"))
  const store = eventStoreOnFile(NodePath.join(dir, "events.sqlite"))
  const layer = testWorkflowLayer("").pipe(
    Layer.provideMerge(Layer.effect(Ticketing, makeLocal(defaultWorkflowStateMap))),
    Layer.provideMerge(runtimeLayer({ script: () => streamingScript() }, { maxConcurrentSessions: SESSIONS })),
    Layer.provideMerge(store)
  )
  const program = Effect.gen(function* () {
    yield* startStoreWriter(defaultStoreWriterOptions(50))
    // What `run` uses, with a 2-second background refresh.
    const bridge = yield* makeUiBridge(
      defaultBridgeOptions({ transcript_line_limit: 2000, ticket_picker_priority_states: [], background_session_refresh_secs: 2 })
    )
    const runtime = yield* SessionRuntime
    const bus = yield* EventBus
    const screen = new Screen()
    const keyboard = new Keyboard()
    if (withScreen) {
      const { mountApp } = yield* Effect.promise(() => import("../src/ui/mount.js"))
      yield* Effect.acquireRelease(
        // The stand-ins implement what Ink uses of a TTY stream; the types cannot say so.
        Effect.sync(() =>
          mountApp(bridge.store, { theme: "nord", env: {}, stdout: screen as unknown as NodeJS.WriteStream, stdin: keyboard as unknown as NodeJS.ReadStream })
        ),
        (mounted) => Effect.sync(() => mounted.unmount())
      )
    }
    yield* Effect.forEach(Array.from({ length: SESSIONS }, (_, i) => `s${i}`), (name) => runtime.start(request(name)), {
      concurrency: SESSIONS,
      discard: true
    })
    yield* Effect.promise(() => bridge.store.actions.focusSession("s0"))
    yield* Effect.sleep(`${WARM_UP_MS} millis`)

    const published0 = (yield* bus.counters).total.published
    const renders0 = yield* bridge.renders
    const cpu0 = process.cpuUsage()
    const wall0 = performance.now()
    const latencies: Array<number> = []
    if (withScreen) {
      const gap = MEASURE_MS / KEY_SAMPLES
      for (let i = 0; i < KEY_SAMPLES; i++) {
        const opened = i % 2 === 0
        // `?` toggles the help overlay: the frame that shows (or stops showing) "Keys" answers it.
        const shown = screen.nextFrame((frame) => frame.includes("Keys") === opened && frame.includes("Sessions"))
        const pressed = performance.now()
        keyboard.press("?")
        yield* Effect.promise(() => shown)
        latencies.push(performance.now() - pressed)
        yield* Effect.sleep(`${Math.max(0, gap - (performance.now() - pressed))} millis`)
      }
    } else yield* Effect.sleep(`${MEASURE_MS} millis`)
    const wall = performance.now() - wall0
    const cpu = process.cpuUsage(cpu0)
    const published = (yield* bus.counters).total.published - published0
    const renders = (yield* bridge.renders) - renders0
    const cpuMs = (cpu.user + cpu.system) / 1000
    const cpuPercent = (cpuMs / wall) * 100
    const rate = Math.round(published / (wall / 1000))
    // On a shared machine the process may not get the CPU to reach the target rate: CPU per event is steadier.
    const perThousand = published === 0 ? 0 : (cpuMs / published) * 1000
    if (!withScreen) {
      return [
        { label: "same load without the screen (engine + bridge), CPU", value: cpuPercent, unit: "%" },
        { label: "same load without the screen, events published", value: rate, unit: "events/s" },
        { label: "same load without the screen, CPU per 1,000 events", value: perThousand, unit: "ms" }
      ] satisfies ReadonlyArray<Figure>
    }
    const sorted = [...latencies].sort((a, b) => a - b)
    return [
      { label: "UI process CPU, 20 sessions × 200 events/s (% of one core)", value: cpuPercent, unit: "%" },
      { label: "events published on the bus during the window (target 4,000)", value: rate, unit: "events/s" },
      { label: "CPU per 1,000 events, with the screen", value: perThousand, unit: "ms" },
      { label: "projected CPU at 4,000 events/s, with the screen", value: (perThousand * 4000) / 1000 / 10, unit: "%" },
      { label: "keypress to screen, median", value: median(latencies), unit: "ms" },
      { label: `keypress to screen, worst of ${KEY_SAMPLES}`, value: sorted[sorted.length - 1] ?? 0, unit: "ms" },
      { label: "screen updates during the window (cap 30)", value: Math.round(renders / (wall / 1000)), unit: "per s" },
      { label: "bytes written to the terminal", value: Math.round(screen.bytes / (wall / 1000)), unit: "bytes/s" }
    ] satisfies ReadonlyArray<Figure>
  })
  try {
    return await Effect.runPromise(Effect.scoped(program).pipe(Effect.provide(layer)))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
