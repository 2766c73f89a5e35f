import { describe, expect, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect } from "effect"
import { execFile, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { hostname, tmpdir } from "node:os"
import * as NodePath from "node:path"
import { isEvent, startOrchestrator } from "../../fakes/e2e/orchestratorProcess.js"
import { binPath, runBin } from "../../support/runBin.js"

/** A fresh HOME for the scope: the default config and store go under it. */
const freshHome = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(NodePath.join(tmpdir(), "orch-safety-"))),
  (home) => Effect.sync(() => rmSync(home, { recursive: true, force: true }))
)

const envOf = (home: string) => ({ HOME: home, PATH: process.env.PATH ?? "" })
const storeOf = (home: string) => NodePath.join(home, ".local", "share", "orchestrator", "events.sqlite")

const leaseRows = (file: string) => {
  const db = new Database(file, { readonly: true })
  const rows = db.prepare("SELECT pid, host FROM store_lease").all()
  db.close()
  return rows
}

/** `tickets add` run `count` times one after another, as a shell loop would. */
const addLoop = (home: string, prefix: string, count: number) =>
  Effect.promise(async () => {
    const printed: Array<string> = []
    for (let i = 0; i < count; i++) {
      printed.push(
        await new Promise<string>((resolve, reject) =>
          execFile(process.execPath, [binPath, "tickets", "add", `${prefix} ${i}`], { env: envOf(home) }, (error, stdout, stderr) =>
            error === null ? resolve(stdout) : reject(new Error(`tickets add failed: ${stderr}`))
          )
        )
      )
    }
    return printed
  })

describe("one store, several processes", () => {
  it.scopedLive(
    "a second `run --headless` on the same store refuses in one line naming the first's pid and exits 1; SIGTERM gives the lease back",
    () =>
      Effect.gen(function* () {
        const home = yield* freshHome
        const first = yield* startOrchestrator(["run", "--headless"], envOf(home))
        yield* first.waitForLine(isEvent("started"), "the first run to start")
        // Bounded: a second run that is let in would run until killed.
        const second = spawnSync(process.execPath, [binPath, "run", "--headless"], { env: envOf(home), encoding: "utf8", timeout: 20_000 })
        expect(second.status).toBe(1)
        const lines = second.stderr.trim().split("\n").filter((line) => !line.startsWith("notice:") && !line.startsWith("warning:"))
        expect(lines).toEqual([expect.stringMatching(new RegExp(`^orchestrator: event store ${storeOf(home)} is in use by another run \\(pid ${first.pid} on ${hostname()}, since \\d{4}-`))])
        expect(second.stdout).not.toContain("event=started")
        // Short commands keep working beside the run.
        expect(runBin(["tickets", "add", "beside a run"], envOf(home)).status).toBe(0)
        expect(runBin(["sessions", "list"], envOf(home)).status).toBe(0)
        process.kill(first.pid, "SIGTERM")
        yield* first.exited(30_000)
        expect(leaseRows(storeOf(home))).toEqual([])
      }),
    60_000
  )

  it.scopedLive(
    "a lease left by a run that died (same host, pid gone) is taken over, with a notice naming it",
    () =>
      Effect.gen(function* () {
        const home = yield* freshHome
        expect(runBin(["tickets", "list"], envOf(home)).status).toBe(0)
        const dead = spawnSync(process.execPath, ["-e", "0"]).pid
        const db = new Database(storeOf(home))
        db.prepare("INSERT INTO store_lease (id, pid, host, since, token) VALUES (1, ?, ?, 1700000000000, 'crashed')").run(dead, hostname())
        db.close()
        const run = yield* startOrchestrator(["run", "--headless"], envOf(home))
        yield* run.waitForLine(isEvent("started"), "the run to start over the stale lease")
        expect(run.stderr()).toContain(`took over the store's lease from pid ${dead} on ${hostname()}`)
        expect(leaseRows(storeOf(home))).toEqual([{ pid: run.pid, host: hostname() }])
      }),
    60_000
  )

  it.scopedLive(
    "two processes adding 20 tickets each at once: 40 distinct keys, 40 rows",
    () =>
      Effect.gen(function* () {
        const home = yield* freshHome
        const [a, b] = yield* Effect.all([addLoop(home, "a", 20), addLoop(home, "b", 20)], { concurrency: 2 })
        const keys = [...a, ...b].map((line) => /^created (LOCAL-\d+) /.exec(line)?.[1])
        expect(new Set(keys).size).toBe(40)
        expect(keys).not.toContain(undefined)
        const listed = runBin(["tickets", "list", "--json"], envOf(home))
        const tickets: ReadonlyArray<{ readonly identifier: string }> = JSON.parse(listed.stdout)
        expect(tickets).toHaveLength(40)
        expect(new Set(tickets.map((t) => t.identifier))).toEqual(new Set(keys))
      }),
    120_000
  )
})

describe("the store's version and health through the bin", () => {
  it.scopedLive("a newer store: `tickets add` refuses in one line and writes nothing; `tickets list` reads it with a warning", () =>
    Effect.gen(function* () {
      const home = yield* freshHome
      expect(runBin(["tickets", "add", "kept"], envOf(home)).status).toBe(0)
      const db = new Database(storeOf(home))
      db.prepare("INSERT INTO effect_sql_migrations (migration_id, name) VALUES (999, 'later')").run()
      db.close()
      const add = runBin(["tickets", "add", "refused"], envOf(home))
      expect(add.status).toBe(1)
      expect(add.stderr.trim().split("\n")).toEqual([expect.stringContaining(`${storeOf(home)} was made by a newer orchestrator`)])
      const list = runBin(["tickets", "list"], envOf(home))
      expect(list.status).toBe(0)
      expect(list.stdout).toContain("kept")
      expect(list.stdout).not.toContain("refused")
      expect(list.stderr).toContain("reading it only")
    })
  )

  it.scopedLive("a corrupt store: one line with the path and what to do, not `unexpected error`", () =>
    Effect.gen(function* () {
      const home = yield* freshHome
      mkdirSync(NodePath.dirname(storeOf(home)), { recursive: true })
      writeFileSync(storeOf(home), "garbage, not a database ".repeat(20))
      for (const args of [["tickets", "list"], ["tickets", "add", "x"], ["sessions", "list"]]) {
        const result = runBin(args, { ...envOf(home), ORCHESTRATOR_NO_QUICK: "1" })
        expect(result.status).toBe(1)
        expect(result.stderr.trim().split("\n")).toEqual([
          `orchestrator: event store ${storeOf(home)} is not an orchestrator store (not a SQLite database, or damaged): move it aside (mv "${storeOf(home)}" "${storeOf(home)}.broken") and the next command starts an empty store, or set event_store_path to another file`
        ])
      }
    })
  )

  it.scopedLive("a relative event_store_path is taken from the config file's directory, whatever the current one", () =>
    Effect.gen(function* () {
      const home = yield* freshHome
      const config = NodePath.join(home, "conf", "config.toml")
      mkdirSync(NodePath.dirname(config), { recursive: true })
      writeFileSync(config, 'event_store_path = "data/events.sqlite"\n')
      const elsewhere = NodePath.join(home, "elsewhere")
      mkdirSync(elsewhere)
      expect(runBin(["tickets", "add", "here", "--config", config], envOf(home), elsewhere).status).toBe(0)
      expect(existsSync(NodePath.join(home, "conf", "data", "events.sqlite"))).toBe(true)
      expect(existsSync(NodePath.join(elsewhere, "data"))).toBe(false)
    })
  )
})
