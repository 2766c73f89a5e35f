import { Cause, Config, type Context, Effect, Fiber, Option } from "effect"
import { TuiUnavailable } from "../../domain/runErrors.js"
import { terminalSessionStates } from "../../domain/session.js"
import { AppConfig } from "../../services/AppConfig.js"
import { Harness } from "../../services/Harness.js"
import { HarnessProviders } from "../../services/HarnessProvider.js"
import type { Supervisor } from "../../services/Supervisor.js"
import { startEngineWork } from "../engine/startEngine.js"
import { defaultStoreWriterOptions, startStoreWriter } from "../storeWriter/storeWriter.js"
import { defaultBridgeOptions, makeUiBridge } from "./bridge.js"
import { harnessProblem } from "./harnessProblem.js"
import { RunBanner } from "./runBanner.js"

/**
 * Ink decides once, when it loads, whether it runs in CI (CI or CONTINUOUS_INTEGRATION set), and
 * then draws only a final frame. Here stdout is a terminal a person looks at, so those variables
 * are hidden while Ink loads and put back at once: agents spawned later still see them.
 */
const loadScreenInteractively = async <A>(load: () => Promise<A>): Promise<A> => {
  const saved = { CI: process.env["CI"], CONTINUOUS_INTEGRATION: process.env["CONTINUOUS_INTEGRATION"] }
  delete process.env["CI"]
  delete process.env["CONTINUOUS_INTEGRATION"]
  try {
    return await load()
  } finally {
    for (const [key, value] of Object.entries(saved)) if (value !== undefined) process.env[key] = value
  }
}

/**
 * `orchestrator run`: the engine plus the Ink screen, for as long as the screen is open. The screen
 * is a scoped resource: quitting (q, Ctrl+C) or a signal closes the scope, which unmounts Ink and
 * gives the terminal back, then stops the sessions and flushes the store writer. The composition
 * root hands in the supervisor (an empty context when it has no key).
 */
export const runTui = <E, R>(loadSupervisor: Effect.Effect<Context.Context<Supervisor> | Context.Context<never>, E, R>) =>
  Effect.scoped(
  Effect.gen(function* () {
    if (process.stdin.isTTY !== true || process.stdout.isTTY !== true) {
      return yield* new TuiUnavailable({ detail: "stdin and stdout must be a terminal; use `orchestrator run --headless` in scripts" })
    }
    const config = yield* AppConfig
    const harness = yield* Harness
    const harnesses = yield* HarnessProviders
    const ui = config.settings.ui
    // The screen's code loads while the store writer starts and the lists are read.
    const screen = yield* Effect.tryPromise({
      try: () => loadScreenInteractively(() => import("../../ui/mount.js")),
      catch: (error) => new TuiUnavailable({ detail: `the screen failed to load: ${String(error)}` })
    }).pipe(Effect.fork)
    const writer = yield* startStoreWriter(defaultStoreWriterOptions(config.settings.database.chunk_event_flush_ms))
    const supervisor = yield* loadSupervisor
    const bridge = yield* makeUiBridge(defaultBridgeOptions(ui)).pipe(Effect.provide(supervisor))
    const banner = yield* Effect.serviceOption(RunBanner)
    const notices = [Option.getOrUndefined(banner), config.ticketingFallback].filter((notice): notice is string => notice !== undefined)
    if (notices.length > 0) yield* bridge.update((vm) => ({ ...vm, notice: notices.join(" · ") }))

    const noColor = yield* Config.option(Config.string("NO_COLOR"))
    const mount = yield* Fiber.join(screen)
    const app = yield* Effect.acquireRelease(
      Effect.sync(() => mount.mountApp(bridge.store, { theme: ui.theme, notifications: ui.notifications, env: { NO_COLOR: Option.getOrUndefined(noColor) } })),
      (mounted) => Effect.sync(() => mounted.unmount())
    )
    // The check runs beside the screen (once Ink loaded with CI hidden): a slow binary never delays anything.
    yield* harness.health.pipe(
      Effect.timeout("20 seconds"),
      Effect.catchAll((error) => bridge.update((vm) => ({ ...vm, harnessProblem: harnessProblem(harnesses, config.settings.harness_provider, error) }))),
      Effect.forkScoped
    )

    // Behind the first frame: the last run's sessions resume (or are recorded as crashed), then the
    // newest live one takes focus. Quitting meanwhile interrupts it with the scope.
    yield* startEngineWork(writer).pipe(
      Effect.tap((engine) =>
        engine.rehydrated.crashed.length === 0
          ? Effect.void
          : bridge.update((vm) => ({ ...vm, notice: [...notices, `${engine.rehydrated.crashed.length} session(s) of the last run could not resume`].join(" · ") }))
      ),
      Effect.tap(() => {
        const latest = bridge.store.getSnapshot().sessions.find((s) => !terminalSessionStates.some((state) => state === s.state))
        return Effect.sync(() => (latest === undefined ? undefined : void bridge.store.actions.focusSession(latest.sessionId)))
      }),
      Effect.catchAllCause((cause) => bridge.update((vm) => ({ ...vm, notice: `the engine did not start: ${Cause.pretty(cause).split("\n")[0] ?? ""}` }))),
      Effect.forkScoped
    )
    yield* Effect.promise(() => app.waitUntilExit())
  })
)
