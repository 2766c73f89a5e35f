import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Layer, Option, Redacted } from "effect"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { loadConfig, noOverrides, renderDefaultConfig, type ConfigOverrides } from "../../../src/layers/config/ConfigLive.js"

const withHome = <A, E>(use: (home: string) => Effect.Effect<A, E>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => mkdtempSync(NodePath.join(tmpdir(), "orch-config-"))),
    use,
    (home) => Effect.sync(() => rmSync(home, { recursive: true, force: true }))
  )

const load = (env: Record<string, string>, overrides: ConfigOverrides = noOverrides) =>
  loadConfig(overrides).pipe(
    Effect.provide(Layer.merge(NodeFileSystem.layer, Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))))
  )

const writeConfig = (home: string, text: string) => {
  const dir = NodePath.join(home, ".config", "orchestrator")
  mkdirSync(dir, { recursive: true })
  writeFileSync(NodePath.join(dir, "config.toml"), text)
  return NodePath.join(dir, "config.toml")
}

describe("ConfigLive", () => {
  it.effect("creates ~/.config/orchestrator/config.toml with defaults on first run", () =>
    withHome((home) =>
      Effect.gen(function* () {
        const config = yield* load({ HOME: home })
        expect(config.created).toBe(true)
        expect(config.file).toBe(NodePath.join(home, ".config", "orchestrator", "config.toml"))
        expect(readFileSync(config.file, "utf8")).toContain('event_store_path = "~/.local/share/orchestrator/events.sqlite"')
        expect(config.settings.event_store_path).toBe(NodePath.join(home, ".local", "share", "orchestrator", "events.sqlite"))
        expect(config.settings.worktrees_root).toBe(NodePath.join(home, ".local", "share", "orchestrator", "workspace"))
        expect(config.settings.database.busy_timeout_ms).toBe(5000)
        expect(config.settings.ui.theme).toBe("nord")
        // No key for the default tracker: local tickets, with a notice.
        expect(config.settings.ticketing_provider).toBe("ticketing.local")
        expect(config.ticketingFallback).toContain("LINEAR_API_KEY")
        const again = yield* load({ HOME: home })
        expect(again.created).toBe(false)
      })
    )
  )

  it.effect("follows ORCHESTRATOR_CONFIG, XDG_CONFIG_HOME and XDG_DATA_HOME, and the --config flag first", () =>
    withHome((home) =>
      Effect.gen(function* () {
        const xdg = yield* load({ HOME: home, XDG_CONFIG_HOME: NodePath.join(home, "xc"), XDG_DATA_HOME: NodePath.join(home, "xd") })
        expect(xdg.file).toBe(NodePath.join(home, "xc", "orchestrator", "config.toml"))
        expect(xdg.settings.event_store_path).toBe(NodePath.join(home, "xd", "orchestrator", "events.sqlite"))
        const env = yield* load({ HOME: home, ORCHESTRATOR_CONFIG: "~/elsewhere/o.toml" })
        expect(env.file).toBe(NodePath.join(home, "elsewhere", "o.toml"))
        const flag = yield* load(
          { HOME: home, ORCHESTRATOR_CONFIG: "~/elsewhere/o.toml" },
          { ...noOverrides, configPath: Option.some(NodePath.join(home, "flag.toml")) }
        )
        expect(flag.file).toBe(NodePath.join(home, "flag.toml"))
      })
    )
  )

  it.effect("reads the file's values, expands ~, and applies provider flags over them", () =>
    withHome((home) =>
      Effect.gen(function* () {
        writeConfig(
          home,
          [
            'worktrees_root = "~/trees"',
            'ticketing_provider = "ticketing.shortcut"',
            "[database]",
            "busy_timeout_ms = 250",
            "[projects]",
            'ENG = "~/src/engine"'
          ].join("\n")
        )
        const config = yield* load(
          { HOME: home, SHORTCUT_API_TOKEN: "sc-secret-token" },
          { ...noOverrides, harnessProvider: Option.some("harness.opencode") }
        )
        expect(config.settings.worktrees_root).toBe(NodePath.join(home, "trees"))
        expect(config.settings.projects).toEqual({ ENG: NodePath.join(home, "src", "engine") })
        expect(config.settings.database.busy_timeout_ms).toBe(250)
        expect(config.settings.harness_provider).toBe("harness.opencode")
        expect(config.settings.ticketing_provider).toBe("ticketing.shortcut")
        expect(config.ticketingFallback).toBeUndefined()
        const token = Option.getOrThrow(config.secrets.shortcutApiToken)
        expect(Redacted.value(token)).toBe("sc-secret-token")
        expect(String(token)).not.toContain("sc-secret-token")
        expect(JSON.stringify(config)).not.toContain("sc-secret-token")
      })
    )
  )

  it.effect("relative paths are taken from the config file's directory, not the current one", () =>
    withHome((home) =>
      Effect.gen(function* () {
        const file = NodePath.join(home, "conf", "o.toml")
        mkdirSync(NodePath.dirname(file), { recursive: true })
        writeFileSync(
          file,
          'event_store_path = "data/events.sqlite"\nworktrees_root = "./trees"\nworkspace = "../code"\n[projects]\nweb = "repos/web"\n'
        )
        expect(process.cwd()).not.toBe(NodePath.dirname(file))
        const config = yield* load({ HOME: home, ORCHESTRATOR_CONFIG: file })
        expect(config.settings.event_store_path).toBe(NodePath.join(home, "conf", "data", "events.sqlite"))
        expect(config.settings.worktrees_root).toBe(NodePath.join(home, "conf", "trees"))
        expect(config.settings.workspace).toBe(NodePath.join(home, "code"))
        expect(config.settings.projects).toEqual({ web: NodePath.join(home, "conf", "repos", "web") })
      })
    )
  )

  it.effect("warns about unknown keys by name and keeps going", () =>
    withHome((home) =>
      Effect.gen(function* () {
        writeConfig(home, ['colour = "blue"', "[ui]", 'theme = "default"', "sparkles = true", "[projects]", 'ANY = "/x"'].join("\n"))
        const config = yield* load({ HOME: home })
        expect(config.settings.ui.theme).toBe("default")
        expect(config.warnings).toHaveLength(2)
        expect(config.warnings[0]).toContain('"colour"')
        expect(config.warnings[1]).toContain('"ui.sparkles"')
      })
    )
  )

  it.effect("reads the tracker keys' old [linear] spelling into [tracker] with a warning naming the new key", () =>
    withHome((home) =>
      Effect.gen(function* () {
        const file = writeConfig(
          home,
          ["[linear]", 'api_url = "http://127.0.0.1:9/graphql"', 'sync_states = ["Todo"]', "sync_interval_secs = 60", "[linear.workflow_state_map]", 'Done = "Shipped"'].join("\n")
        )
        const config = yield* load({ HOME: home })
        expect(config.settings.tracker.sync_states).toEqual(["Todo"])
        expect(config.settings.tracker.sync_interval_secs).toBe(60)
        expect(config.settings.tracker.workflow_state_map).toEqual({ Done: "Shipped" })
        expect(config.settings.linear.api_url).toBe("http://127.0.0.1:9/graphql")
        expect(config.warnings).toEqual([
          `${file}: "linear.sync_interval_secs" is deprecated: use "tracker.sync_interval_secs"`,
          `${file}: "linear.sync_states" is deprecated: use "tracker.sync_states"`,
          `${file}: "linear.workflow_state_map" is deprecated: use "tracker.workflow_state_map"`
        ])
      })
    )
  )

  it.effect("when both spellings are set, [tracker] wins and the warning says so", () =>
    withHome((home) =>
      Effect.gen(function* () {
        const file = writeConfig(home, ["[tracker]", 'sync_states = ["Now"]', "[linear]", 'sync_states = ["Old"]', "fetch_limit = 7"].join("\n"))
        const config = yield* load({ HOME: home })
        expect(config.settings.tracker.sync_states).toEqual(["Now"])
        expect(config.settings.linear.fetch_limit).toBe(7)
        expect(config.warnings).toEqual([`${file}: "linear.sync_states" is deprecated and ignored: "tracker.sync_states" is also set and wins`])
      })
    )
  )

  it("writes the tracker keys under [tracker] in the default file", () => {
    const text = renderDefaultConfig({
      home: "/home/someone",
      orchestratorConfig: Option.none(),
      xdgConfigHome: Option.none(),
      xdgDataHome: Option.none(),
      xdgCacheHome: Option.none()
    })
    const tracker = text.slice(text.indexOf("[tracker]"), text.indexOf("[linear]"))
    const linear = text.slice(text.indexOf("[linear]"), text.indexOf("[shortcut]"))
    expect(tracker).toContain('sync_states = [ "Todo", "In Progress", "In Review" ]')
    expect(tracker).toContain("sync_interval_secs = 300")
    expect(text).toContain("[tracker.workflow_state_map]")
    expect(linear).toContain("api_url")
    expect(linear).not.toContain("sync_")
  })

  const rejects = (text: string, keyPath: string, expected: string, found: string) =>
    withHome((home) =>
      Effect.gen(function* () {
        const file = writeConfig(home, text)
        const result = yield* Effect.either(load({ HOME: home }))
        expect(Either.isLeft(result)).toBe(true)
        if (Either.isLeft(result)) {
          const message = result.left.message
          expect(message).toContain(file)
          expect(message).toContain(keyPath)
          expect(message).toContain(expected)
          expect(message).toContain(found)
        }
        expect(readFileSync(file, "utf8")).toBe(text)
      })
    )

  it.effect("rejects a wrong type naming file, key path, expected and found, and leaves the file alone", () =>
    rejects('[database]\nbusy_timeout_ms = "soon"\n', "database.busy_timeout_ms", "whole number of milliseconds", '"soon"')
  )
  it.effect("rejects values out of range and unknown choices", () =>
    Effect.all([
      rejects("[runtime]\nmax_concurrent_sessions = 0\n", "runtime.max_concurrent_sessions", "greater than 0", "0"),
      rejects('[ui]\ntheme = "dark"\n', "ui.theme", '"nord" or "default"', '"dark"'),
      rejects('harness_provider = "harness.gemini"\n', "harness_provider", "one of harness.codex, harness.opencode, harness.claude", '"harness.gemini"'),
      rejects('ticketing_provider = "ticketing.asana"\n', "ticketing_provider", "one of ticketing.linear, ticketing.shortcut, ticketing.github, ticketing.jira, ticketing.local", '"ticketing.asana"'),
      rejects('[tracker]\nsync_states = "Todo"\n', "tracker.sync_states", "list of strings", '"Todo"'),
      rejects('[tracker.workflow_state_map]\nShipped = "Done"\n', "tracker.workflow_state_map", "keys are workflow states", "keys Shipped"),
      // The old spelling is checked where it was typed.
      rejects('[linear]\nsync_states = "Todo"\n', "linear.sync_states", "list of strings", '"Todo"'),
      rejects('[linear.workflow_state_map]\nShipped = "Done"\n', "linear.workflow_state_map", "keys are workflow states", "keys Shipped")
    ])
  )
  it.effect("rejects a file that is not TOML with the line of the problem", () =>
    withHome((home) =>
      Effect.gen(function* () {
        writeConfig(home, "[database\nbusy_timeout_ms = 1\n")
        const result = yield* Effect.flip(load({ HOME: home }))
        expect(result.message).toContain("not valid TOML at line 1")
      })
    )
  )
})
