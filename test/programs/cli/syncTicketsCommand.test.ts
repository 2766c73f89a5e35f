import { Command } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect } from "effect"
import * as NodePath from "node:path"
import { rootCommand } from "../../../src/programs/cli/globals.js"
import { syncCommand } from "../../../src/programs/cli/syncCommand.js"
import { ticketsCommand } from "../../../src/programs/cli/ticketsCommand.js"
import { linearFake, linearIssue } from "../../fakes/linear/server.js"

const KEY = "lin_api_cli_secret"
const cli = rootCommand.pipe(Command.withSubcommands([syncCommand, ticketsCommand]))

/** Runs the CLI in-process with a private HOME and env; returns what it printed. */
const runCli = (args: ReadonlyArray<string>, home: string, env: Record<string, string>) =>
  Effect.gen(function* () {
    const out: Array<string> = []
    const err: Array<string> = []
    const real = yield* Effect.console
    const capture = {
      ...real,
      log: (...parts: ReadonlyArray<unknown>) => Effect.sync(() => void out.push(parts.join(" "))),
      error: (...parts: ReadonlyArray<unknown>) => Effect.sync(() => void err.push(parts.join(" ")))
    }
    yield* Command.run(cli, { name: "orchestrator", version: "test" })(["node", "orchestrator", ...args]).pipe(
      Effect.withConsole(capture),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries({ HOME: home, ...env }))))
    )
    return { out: out.join("\n"), err: err.join("\n") }
  })

describe("orchestrator sync tickets / tickets (in-process CLI)", () => {
  it.scopedLive("against the fake Linear prints the counts; later runs ask only for what changed, --full for everything", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const home = yield* fs.makeTempDirectoryScoped({ prefix: "orch-sync-" })
      const fake = yield* linearFake({
        apiKey: KEY,
        issues: [
          ...Array.from({ length: 7 }, (_, i) => linearIssue(i + 1, { state: i % 2 === 0 ? "Todo" : "In Progress" })),
          linearIssue(8, { state: "Done" }),
          linearIssue(9, { mine: false })
        ]
      })
      const config = NodePath.join(home, "config.toml")
      yield* fs.writeFileString(config, `event_store_path = "${NodePath.join(home, "events.sqlite")}"\n[linear]\napi_url = "${fake.url}"\n`)
      const env = { LINEAR_API_KEY: KEY }
      const first = yield* runCli(["sync", "tickets", "--config", config], home, env)
      expect(first.out).toBe("linear: 7 new, 0 updated, 0 unchanged, 0 no longer visible (7 fetched)")
      const second = yield* runCli(["sync", "tickets", "--json", "--config", config], home, env)
      // Issues changed since the newest one seen (7 minutes in) less the 5-minute overlap, any state:
      // ENG-2..7 unchanged, ENG-8 (Done) not ours to list; it moves the checkpoint, the one event.
      expect(JSON.parse(second.out)).toEqual({
        provider: "linear",
        fetched: 7,
        new: 0,
        updated: 0,
        unchanged: 6,
        noLongerVisible: 0,
        events: 1,
        complete: true,
        incomplete: null,
        listing: "incremental",
        since: Date.UTC(2025, 0, 1, 0, 2)
      })
      expect(`${first.out}${first.err}${second.out}${second.err}`).not.toContain(KEY)

      // The person moves one issue out of the synced states: it is no longer visible at once.
      const moved = { state: { id: "st-done", name: "Done", type: "completed" }, updatedAt: new Date().toISOString() }
      fake.issues[0]!.node = { ...fake.issues[0]!.node, ...moved }
      const third = yield* runCli(["sync", "tickets", "--config", config], home, env)
      expect(third.out).toBe("linear: 0 new, 0 updated, 5 unchanged, 1 no longer visible (7 fetched, changed since 2025-01-01T00:03:00.000Z)")
      const full = yield* runCli(["sync", "tickets", "--full", "--config", config], home, env)
      expect(full.out).toBe("linear: 0 new, 0 updated, 6 unchanged, 0 no longer visible (6 fetched)")

      const listed = yield* runCli(["tickets", "list", "--json", "--config", config], home, env)
      expect((JSON.parse(listed.out) as ReadonlyArray<{ identifier: string }>).map((t) => t.identifier).sort()).toEqual(
        ["ENG-2", "ENG-3", "ENG-4", "ENG-5", "ENG-6", "ENG-7"]
      )
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scopedLive("without LINEAR_API_KEY: a one-line notice, then local tickets; `tickets add` creates local:1", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const home = yield* fs.makeTempDirectoryScoped({ prefix: "orch-local-" })
      const config = NodePath.join(home, "config.toml")
      yield* fs.writeFileString(config, `event_store_path = "${NodePath.join(home, "events.sqlite")}"\n`)
      const title = "$(rm -rf ~) ../../x 🚀"
      const added = yield* runCli(["tickets", "add", title, "--description", "d", "--project", "web", "--config", config], home, {})
      expect(added.out).toBe(`created LOCAL-1 (local:1): ${title}`)
      const synced = yield* runCli(["sync", "tickets", "--config", config], home, {})
      expect(synced.err.split("\n").filter((l) => l.includes("LINEAR_API_KEY"))).toHaveLength(1)
      expect(synced.out).toBe("local: 0 new, 0 updated, 1 unchanged, 0 no longer visible (1 fetched)")
      const table = yield* runCli(["tickets", "list", "--config", config], home, {})
      expect(table.out.split("\n")[1]).toMatch(/^LOCAL-1\s+local\s+Todo\s+web\s+\$\(rm -rf ~\) \.\.\/\.\.\/x 🚀$/)
    }).pipe(Effect.provide(NodeContext.layer)))
})
