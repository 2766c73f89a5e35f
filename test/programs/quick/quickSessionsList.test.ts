import Database from "better-sqlite3"
import { Effect, Schema } from "effect"
import { spawn } from "node:child_process"
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { SessionSpawned, SessionStateChanged, TicketSynced, WorkItemCreated } from "../../../src/domain/events.js"
import { SessionId } from "../../../src/domain/ids.js"
import { eventStoreOnFile } from "../../../src/layers/eventStore/EventStoreTest.js"
import { latestMigrationId } from "../../../src/layers/eventStore/sessionsQuery.js"
import type { QuickOutput } from "../../../src/programs/quick/quickSessionsList.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { makeTicket, sessionId, startedWork, ticketId, workItemId } from "../../support/sampleEvents.js"
import { binPath, projectRoot, runBin } from "../../support/runBin.js"

// The built dist/quick.cjs, as the bin loads it: its build id matches the records the built full CLI writes.
const { quickAnswer } = createRequire(import.meta.url)(NodePath.join(projectRoot, "dist", "quick.cjs")) as {
  quickAnswer: (args: ReadonlyArray<string>, env: Record<string, string>, now?: number) => QuickOutput | undefined
}

let home = ""
beforeEach(() => {
  home = mkdtempSync(NodePath.join(tmpdir(), "orch-quick-"))
})
afterEach(() => rmSync(home, { recursive: true, force: true }))

const env = () => ({ HOME: home })
const configFile = () => NodePath.join(home, ".config", "orchestrator", "config.toml")
const storeFile = () => NodePath.join(home, ".local", "share", "orchestrator", "events.sqlite")
const recordFile = () => {
  const dir = NodePath.join(home, ".cache", "orchestrator")
  return NodePath.join(dir, readdirSync(dir)[0] ?? "none")
}
const full = (args: ReadonlyArray<string>, extra: Record<string, string> = {}) => runBin(args, { ...env(), ...extra, ORCHESTRATOR_NO_QUICK: "1" })
const quick = (args: ReadonlyArray<string>, environment: Record<string, string> = env()) => quickAnswer(["sessions", "list", ...args], environment)

const appendToStore = (events: ReadonlyArray<Parameters<EventStore["Type"]["append"]>[0][number]>) =>
  Effect.runPromise(Effect.flatMap(EventStore, (store) => store.append(events)).pipe(Effect.provide(eventStoreOnFile(storeFile()))))

/** A first full run writes config, store and checked-config record; then three sessions go in. */
const populate = async () => {
  expect(full(["sessions", "list"]).status).toBe(0)
  await appendToStore([
    ...startedWork(1),
    ...startedWork(2),
    new SessionStateChanged({ sessionId: sessionId(2), from: "Running", to: "Done", reason: "merged" }),
    new TicketSynced({ ticket: makeTicket({ id: ticketId(3), identifier: "LOC-../3", title: "Fix `rm -rf ~`; $(touch x) \"q\" 🚀 ünï" }) }),
    new WorkItemCreated({ workItemId: workItemId(3), ticketId: ticketId(3), repoPath: "/repo" }),
    new SessionSpawned({
      sessionId: Schema.decodeSync(SessionId)("ses-$(touch x)"),
      workItemId: workItemId(3),
      ticketId: ticketId(3),
      harness: "harness.opencode",
      model: "m",
      worktreePath: "/wt/it's here"
    })
  ])
}

/** "3s ago" and "4s ago" are the same table a second apart. */
const withoutAge = (table: string) => table.replace(/\d+[smhd] ago/g, "… ago")

const insertSession = (row: readonly [string, string | null, string | null, string, string, number]) => {
  const db = new Database(storeFile())
  db.prepare(
    "INSERT INTO sessions (id, work_item_id, ticket_id, harness, worktree_path, state, created_at, last_activity_at, event_count) VALUES (?, ?, ?, ?, '/wt', ?, ?, ?, 0)"
  ).run(row[0], row[1], row[2], row[3], row[4], BigInt(row[5]), BigInt(row[5]))
  db.close()
}
const clearSessions = () => {
  const db = new Database(storeFile())
  db.prepare("DELETE FROM sessions").run()
  db.close()
}

describe("quick `sessions list`", () => {
  it("prints exactly what the full CLI prints, JSON and table, with and without --state", async () => {
    await populate()
    for (const state of [[], ["--state", "Running"], ["--state=Done"], ["--state", "Killed"]]) {
      const fullJson = full(["sessions", "list", "--json", ...state])
      expect(fullJson.status).toBe(0)
      expect(quick(["--json", ...state])).toEqual({ stdout: fullJson.stdout, stderr: fullJson.stderr })
      const fullTable = full(["sessions", "list", ...state])
      expect(withoutAge(quick(state)?.stdout ?? "")).toBe(withoutAge(fullTable.stdout))
    }
    const listed = JSON.parse(quick(["--json"])?.stdout ?? "null") as Array<{ id: string; ticket: string; state: string }>
    expect(listed.map((session) => [session.id, session.ticket, session.state])).toEqual(
      expect.arrayContaining([
        ["ses-1", "LOC-1", "Running"],
        ["ses-2", "LOC-2", "Done"],
        ["ses-$(touch x)", "LOC-../3", "Starting"]
      ])
    )
  })

  it("the bin answers from dist/quick.cjs alone: with the full CLI broken, `sessions list` still works", async () => {
    await populate()
    const expected = full(["sessions", "list", "--json"]).stdout
    // A copy of the install whose full CLI fails as soon as it is loaded.
    const install = mkdtempSync(NodePath.join(tmpdir(), "orch-quick-install-"))
    try {
      mkdirSync(NodePath.join(install, "bin"))
      mkdirSync(NodePath.join(install, "dist"))
      for (const file of ["bin/orchestrator.js", "bin/load-cli.cjs", "dist/quick.cjs", "package.json"]) {
        copyFileSync(NodePath.join(projectRoot, file), NodePath.join(install, file))
      }
      writeFileSync(NodePath.join(install, "dist", "cli.cjs"), 'throw new Error("the full CLI was loaded")\n')
      symlinkSync(NodePath.join(projectRoot, "node_modules"), NodePath.join(install, "node_modules"))
      const bin = (args: ReadonlyArray<string>, extra: Record<string, string> = {}) =>
        runBin(args, { ...env(), ...extra }, projectRoot, NodePath.join(install, "bin", "orchestrator.js"))
      const answered = bin(["sessions", "list", "--json"])
      expect(answered.status).toBe(0)
      expect(answered.stdout).toBe(expected)
      expect(bin(["sessions", "list", "--json"], { ORCHESTRATOR_NO_QUICK: "1" }).stderr).toContain("the full CLI was loaded")
      expect(bin(["sessions", "show", "ses-1"]).stderr).toContain("the full CLI was loaded")
      expect(bin(["sessions", "list", "--help"]).stderr).toContain("the full CLI was loaded")
    } finally {
      rmSync(install, { recursive: true, force: true })
    }
  })

  it("a reader that stops early (`| head`) ends it quietly with exit 0", async () => {
    expect(full(["sessions", "list"]).status).toBe(0)
    // About 650 KB of JSON: more than a pipe or socket buffer holds, so writes go on after head has gone.
    await appendToStore(Array.from({ length: 1500 }, (_, i) => startedWork(i + 1)).flat())
    // `orchestrator sessions list --json | head -c 10`, without a shell: head exits after 10 bytes.
    const head = spawn("head", ["-c", "10"], { stdio: ["pipe", "pipe", "ignore"] })
    const child = spawn(process.execPath, [binPath, "sessions", "list", "--json"], {
      env: { PATH: process.env.PATH ?? "", ...env() },
      stdio: ["ignore", head.stdin, "pipe"]
    })
    let stderr = ""
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    let shown = ""
    head.stdout.on("data", (chunk: Buffer) => (shown += chunk.toString()))
    const [code] = await Promise.all([
      new Promise<number | null>((resolve) => child.on("close", resolve)),
      new Promise<void>((resolve) => head.on("close", () => resolve()))
    ])
    expect(shown).toBe("[\n  {\n    ")
    expect(stderr).toBe("")
    expect(code).toBe(0)
  })

  it("prints the configuration's warnings on stderr, as the full CLI does", () => {
    expect(full(["sessions", "list"]).status).toBe(0)
    // At the top: below `[projects]` it would name a project.
    writeFileSync(configFile(), `colour = "teal"\n${readFileSync(configFile(), "utf8")}`)
    const fullRun = full(["sessions", "list", "--json"])
    expect(fullRun.stderr).toContain('unknown key "colour" is ignored')
    expect(quick(["--json"])).toEqual({ stdout: fullRun.stdout, stderr: fullRun.stderr })
  })

  it("answers nothing until a full run has validated this exact configuration text", () => {
    expect(quick(["--json"])).toBeUndefined() // fresh HOME: the full CLI creates config and store
    expect(full(["sessions", "list"]).status).toBe(0)
    expect(quick(["--json"])?.stdout).toBe("[]\n")

    // An edit, even a valid one, waits for the full CLI to check it again.
    const other = NodePath.join(home, "elsewhere", "other.sqlite")
    writeFileSync(configFile(), readFileSync(configFile(), "utf8").replace(/^event_store_path = .*$/m, `event_store_path = "${other}"`))
    expect(quick(["--json"])).toBeUndefined()
    expect(runBin(["sessions", "list", "--json"], env()).stdout).toBe("[]\n")
    expect(readFileSync(other).length).toBeGreaterThan(0) // the full CLI opened the new store
    expect(quick(["--json"])?.stdout).toBe("[]\n")

    // A byte order mark is read the same way on both paths.
    writeFileSync(configFile(), `\uFEFF${readFileSync(configFile(), "utf8")}`)
    expect(full(["sessions", "list"]).status).toBe(0)
    expect(quick(["--json"])?.stdout).toBe("[]\n")

    // An invalid edit is reported by the full CLI, never answered from the old record.
    writeFileSync(configFile(), '[database]\nbusy_timeout_ms = "soon"\n')
    expect(quick(["--json"])).toBeUndefined()
    const invalid = runBin(["sessions", "list", "--json"], env())
    expect(invalid.status).toBe(1)
    expect(invalid.stdout).toBe("")
    expect(invalid.stderr).toContain("database.busy_timeout_ms")
  })

  it("answers nothing for another HOME or data dir, a record from another build, a store at another migration, or a missing store", () => {
    expect(full(["sessions", "list"]).status).toBe(0)
    expect(quick(["--json"], { HOME: home, XDG_DATA_HOME: NodePath.join(home, "d") })).toBeUndefined()
    const elsewhere = mkdtempSync(NodePath.join(tmpdir(), "orch-quick-home-"))
    try {
      // The same config file read with another HOME could mean another store (`~` in its paths).
      expect(quick(["--json"], { HOME: elsewhere, XDG_CACHE_HOME: NodePath.join(home, ".cache"), ORCHESTRATOR_CONFIG: configFile() })).toBeUndefined()
    } finally {
      rmSync(elsewhere, { recursive: true, force: true })
    }

    const record = readFileSync(recordFile(), "utf8")
    writeFileSync(recordFile(), record.replace(/"programVersion":"[^"]*"/, '"programVersion":"0.1.0+otherbuild"'))
    expect(quick(["--json"])).toBeUndefined()
    writeFileSync(recordFile(), record)
    expect(quick(["--json"])?.stdout).toBe("[]\n")

    // A store a newer version migrated further: its tables may have changed, only the full CLI reads it.
    const db = new Database(storeFile())
    db.prepare("UPDATE effect_sql_migrations SET migration_id = ? WHERE migration_id = ?").run(latestMigrationId + 1, latestMigrationId)
    expect(quick(["--json"])).toBeUndefined()
    db.prepare("UPDATE effect_sql_migrations SET migration_id = ? WHERE migration_id = ?").run(latestMigrationId, latestMigrationId + 1)
    db.close()
    expect(quick(["--json"])?.stdout).toBe("[]\n")

    rmSync(storeFile())
    expect(quick(["--json"])).toBeUndefined()
  })

  it("leaves rows the event store refuses to the full CLI, which reports them", () => {
    expect(full(["sessions", "list"]).status).toBe(0)
    const corruptRows: ReadonlyArray<readonly [string, string | null, string | null, string, string, number]> = [
      ["ses-x", null, null, "harness.codex", "Sleeping", 1],
      ["", null, null, "harness.codex", "Running", 1],
      ["ses-x", "", null, "harness.codex", "Running", 1],
      ["ses-x", null, "asana:1", "harness.codex", "Running", 1],
      // Harness ids are `harness.<name>` (the harness table holds which): anything else is refused.
      ["ses-x", null, null, "claude", "Running", 1],
      ["ses-x", null, null, "harness.codex", "Running", -5],
      ["ses-x", null, null, "harness.codex", "Running", Number.MAX_SAFE_INTEGER + 2]
    ]
    for (const row of corruptRows) {
      insertSession(row)
      expect(quick(["--json"]), row.join(" ")).toBeUndefined()
      const reported = full(["sessions", "list", "--json"])
      expect(reported.status, row.join(" ")).toBe(1)
      expect(reported.stderr).toContain("list sessions")
      clearSessions()
    }
    expect(quick(["--json"])?.stdout).toBe("[]\n")
  })

  it("does not wait out the busy timeout on a locked store: it leaves the command to the full CLI", () => {
    // Rollback journal: a writer's exclusive lock blocks readers (in WAL mode it would not).
    mkdirSync(NodePath.dirname(configFile()), { recursive: true })
    writeFileSync(configFile(), "[database]\nwal_enabled = false\n")
    expect(full(["sessions", "list"]).status).toBe(0)
    expect(quick(["--json"])?.stdout).toBe("[]\n")
    const writer = new Database(storeFile())
    writer.exec("BEGIN EXCLUSIVE")
    try {
      const started = Date.now()
      expect(quick(["--json"])).toBeUndefined()
      // 250 ms at most by design; the configured busy_timeout_ms is 5,000.
      expect(Date.now() - started).toBeLessThan(4000)
    } finally {
      writer.exec("ROLLBACK")
      writer.close()
    }
    expect(quick(["--json"])?.stdout).toBe("[]\n")
  })

  it("follows --config like the full CLI, with spaces and unicode in the path", () => {
    const custom = NodePath.join(home, "my conf ü", "o.toml")
    expect(full(["sessions", "list", "--config", custom]).status).toBe(0)
    expect(quick(["--json", "--config", custom])?.stdout).toBe("[]\n")
    expect(quickAnswer(["--config", custom, "sessions", "--verbose", "list", "--json"], env())?.stdout).toBe("[]\n")
    expect(quick(["--json"])).toBeUndefined() // the default config was never validated
  })
})
