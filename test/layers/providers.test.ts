import { FetchHttpClient } from "@effect/platform"
import { NodeContext, NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer } from "effect"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { ProcessFailed } from "../../src/domain/processErrors.js"
import { configFromValue, loadConfig, noOverrides, type ConfigProviders } from "../../src/layers/config/ConfigLive.js"
import { EventStoreTest } from "../../src/layers/eventStore/EventStoreTest.js"
import { StoreInspectorLive } from "../../src/layers/eventStore/StoreInspectorLive.js"
import { harnessLayerFrom } from "../../src/layers/harness/HarnessLive.js"
import { harnessProviders } from "../../src/layers/harness/providers.js"
import { trackerProviders } from "../../src/layers/ticketing/providers.js"
import { ticketingLayerFrom } from "../../src/layers/ticketing/TicketingLive.js"
import { runChecks } from "../../src/programs/doctor/checks.js"
import { harnessProblem } from "../../src/programs/run/harnessProblem.js"
import { AppConfig } from "../../src/services/AppConfig.js"
import { Harness } from "../../src/services/Harness.js"
import { ProcessRunner } from "../../src/services/ProcessRunner.js"
import { Ticketing } from "../../src/services/Ticketing.js"
import { fakeHarnessRow } from "../fakes/providers/fakeHarness.js"
import { fakeTrackerRow } from "../fakes/providers/fakeTracker.js"

const harnesses = [...harnessProviders, fakeHarnessRow]
const trackers = [...trackerProviders, fakeTrackerRow]
const withFakes: ConfigProviders = { harnesses, trackers }

const withDir = <A, E, R>(use: (dir: string) => Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => mkdtempSync(NodePath.join(tmpdir(), "orch-providers-"))),
    use,
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )

const environment = (env: Record<string, string>) => Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

/** Loads `text` as the config file under a fresh HOME, with the given tables. */
const loadText = (text: string, providers: ConfigProviders, env: Record<string, string> = {}) =>
  withDir((home) => {
    const dir = NodePath.join(home, ".config", "orchestrator")
    mkdirSync(dir, { recursive: true })
    writeFileSync(NodePath.join(dir, "config.toml"), text)
    return loadConfig(noOverrides, providers).pipe(Effect.provide(Layer.merge(NodeFileSystem.layer, environment({ HOME: home, ...env }))))
  })

const fakeIds = 'ticketing_provider = "ticketing.fake"\nharness_provider = "harness.fake"\n'

/** Answers every `--version`; the fake harness's binary says who it is. */
const ScriptedRunner = Layer.succeed(
  ProcessRunner,
  ProcessRunner.of({
    run: (spec) =>
      spec.binary === "fakeagent"
        ? Effect.succeed({ exitCode: 0, stdout: "fakeagent 9.9.9\n", stderr: "" })
        : Effect.succeed({ exitCode: 0, stdout: `${NodePath.basename(spec.binary)} version 1.0\n`, stderr: "" }),
    capture: (spec) => Effect.fail(new ProcessFailed({ binary: spec.binary, reason: "spawn", exitCode: null, detail: "not scripted" }))
  })
)

const fakeConfig = (dataDir: string) => configFromValue({ ticketing_provider: "ticketing.fake", harness_provider: "harness.fake" }, dataDir)

describe("provider tables", () => {
  it.effect("config accepts a third harness and tracker once their rows are in the tables, and names the table's ids otherwise", () =>
    Effect.gen(function* () {
      const accepted = yield* loadText(fakeIds, withFakes, { FAKE_TRACKER_TOKEN: "t0ken" })
      expect(accepted.settings.harness_provider).toBe("harness.fake")
      expect(accepted.settings.ticketing_provider).toBe("ticketing.fake")
      expect(accepted.ticketingFallback).toBeUndefined()

      const withoutKey = yield* loadText(fakeIds, withFakes)
      expect(withoutKey.settings.ticketing_provider).toBe("ticketing.local")
      expect(withoutKey.ticketingFallback).toBe("FAKE_TRACKER_TOKEN is not set: using local tickets (ticketing.local) instead of ticketing.fake")

      const refused = yield* Effect.flip(loadText(fakeIds, { harnesses, trackers: trackerProviders }))
      expect(refused.message).toMatch(
        /: ticketing_provider: expected one of ticketing\.linear, ticketing\.shortcut, ticketing\.github, ticketing\.jira, ticketing\.local, found "ticketing\.fake" \(a string\)$/
      )
      const refusedHarness = yield* Effect.flip(loadText(fakeIds, { harnesses: harnessProviders, trackers }))
      expect(refusedHarness.message).toMatch(
        /: harness_provider: expected one of harness\.codex, harness\.opencode, harness\.claude, found "harness\.fake" \(a string\)$/
      )
    })
  )

  it.effect("doctor runs the fake harness's health check (required, as it is configured) and checks the fake tracker's key", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const config = yield* fakeConfig(dir)
        const results = yield* runChecks(config, { harnesses, trackers })
        expect(results.find((result) => result.name === "fakeagent")).toEqual({
          name: "fakeagent",
          status: "ok",
          detail: "fakeagent 9.9.9 (fakeagent)",
          required: true
        })
        expect(results.find((result) => result.name === "codex")?.required).toBe(false)
        expect(results.find((result) => result.name === "FAKE_TRACKER_TOKEN")).toMatchObject({ status: "ok", detail: "set (Fake tickets)" })
        expect(results.find((result) => result.name === "LINEAR_API_KEY")).toMatchObject({ status: "warn" })
        expect(results.find((result) => result.name === "git")).toMatchObject({ status: "ok", detail: "git version 1.0 (git)" })
      }).pipe(Effect.provide(Layer.mergeAll(ScriptedRunner, NodeFileSystem.layer, StoreInspectorLive, environment({ PATH: "", FAKE_TRACKER_TOKEN: "t0ken" }))))
    )
  )

  it.effect("doctor says what GitHub Issues and Jira still need when they are the tracker in use", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const github = yield* configFromValue({ ticketing_provider: "ticketing.github" }, dir)
        const githubResults = yield* runChecks(github, { harnesses, trackers })
        expect(githubResults.find((result) => result.name === "ticketing.github")).toMatchObject({ status: "fail", required: true })
        expect(githubResults.find((result) => result.name === "ticketing.github")?.detail).toContain("[projects] names no repository")
        const ready = yield* configFromValue({ ticketing_provider: "ticketing.github", projects: { ENG: dir } }, dir)
        expect((yield* runChecks(ready, { harnesses, trackers })).find((result) => result.name === "ticketing.github")).toMatchObject({ status: "ok" })

        const jira = yield* configFromValue({ ticketing_provider: "ticketing.jira" }, dir)
        const jiraResults = yield* runChecks(jira, { harnesses, trackers })
        expect(jiraResults.find((result) => result.name === "ticketing.jira")?.detail).toBe(
          "JIRA_EMAIL is not set (the Atlassian account's email, used with JIRA_API_TOKEN); [jira] base_url is not set (e.g. https://acme.atlassian.net)"
        )
        expect(jiraResults.find((result) => result.name === "JIRA_API_TOKEN")).toMatchObject({ status: "warn" })
        expect(jiraResults.find((result) => result.name === "ticketing.linear")).toBeUndefined()
      }).pipe(Effect.provide(Layer.mergeAll(ScriptedRunner, NodeFileSystem.layer, StoreInspectorLive, environment({ PATH: "" }))))
    )
  )

  it("the run screen's hint is the fake harness's install line", () => {
    const problem = harnessProblem(harnesses, "harness.fake", { _tag: "BinaryUnavailable", message: "not found" })
    expect(problem).toBe("harness.fake cannot run (not found): install it with `npm install -g fakeagent` or set runtime.fakeagent_binary, then restart.")
    expect(harnessProblem(harnesses, "harness.codex", { _tag: "ProcessFailed", message: "x" })).toContain("npm install -g @openai/codex")
  })

  it.scoped("dispatch builds the fake's harness and tracker, not Codex nor Linear", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const config = Layer.effect(AppConfig, fakeConfig(dir))
        const needs = Layer.mergeAll(config, NodeContext.layer, FetchHttpClient.layer, EventStoreTest)
        const harness = yield* Effect.provide(Harness, harnessLayerFrom(harnesses).pipe(Layer.provide(needs)))
        expect(harness.id).toBe("harness.fake")
        expect(yield* harness.health).toBe("fakeagent: ready")
        const ticketing = yield* Effect.provide(Ticketing, ticketingLayerFrom(trackers).pipe(Layer.provide(needs)))
        expect(yield* ticketing.health).toBe("fake tracker: signed in")
        // The production tables alone do not know the ids: the wiring says so instead of running Codex or Linear.
        const unknown = yield* Effect.flip(Effect.provide(Harness, harnessLayerFrom(harnessProviders).pipe(Layer.provide(needs))))
        expect(unknown.message).toContain("harness_provider: expected one of harness.codex, harness.opencode, harness.claude")
      })
    )
  )

  it.scoped("each real harness row builds its own adapter, whose capabilities are the row's", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const needs = Layer.mergeAll(Layer.effect(AppConfig, configFromValue({}, dir)), NodeContext.layer, FetchHttpClient.layer)
        for (const row of harnessProviders) {
          const harness = yield* Effect.provide(Harness, row.layer.pipe(Layer.provide(needs)))
          expect(harness.id).toBe(row.id)
          expect(harness.capabilities).toEqual(row.capabilities)
        }
      })
    )
  )
})
