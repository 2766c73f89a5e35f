import { Effect, Schema } from "effect"
import Database from "better-sqlite3"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import packageJson from "../../../package.json" with { type: "json" }
import { SessionSpawned, SessionStateChanged, TicketSynced, WorkItemCreated } from "../../../src/domain/events.js"
import { eventStoreOnFile } from "../../../src/layers/eventStore/EventStoreTest.js"
import { latestMigrationId } from "../../../src/layers/eventStore/sessionsQuery.js"
import { quickSessionsList } from "../../../src/programs/quick/quickSessionsList.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { makeTicket, sessionId, startedWork, ticketId, workItemId } from "../../support/sampleEvents.js"
import { runBin } from "../../support/runBin.js"
import { SessionId } from "../../../src/domain/ids.js"

let home = ""
beforeEach(() => {
  home = mkdtempSync(NodePath.join(tmpdir(), "orch-quick-"))
})
afterEach(() => rmSync(home, { recursive: true, force: true }))

const env = () => ({ HOME: home })
const configFile = () => NodePath.join(home, ".config", "orchestrator", "config.toml")
const storeFile = () => NodePath.join(home, ".local", "share", "orchestrator", "events.sqlite")
const full = (args: ReadonlyArray<string>) => runBin(args, { ...env(), ORCHESTRATOR_NO_QUICK: "1" })
const quick = (command: { config?: string; json?: boolean; state?: string }, now = Date.now()) =>
  quickSessionsList({ config: command.config, json: command.json ?? false, state: command.state }, env(), packageJson.version, now)

const hostileTitle = "Fix `rm -rf ~`; $(touch x) ../../etc \"quoted\" 🚀 ünïcode"

/** A first full run writes config, store and checked-config record; then three sessions go in. */
const populate = async () => {
  expect(full(["sessions", "list"]).status).toBe(0)
  const hostile = Schema.decodeSync(SessionId)("ses-$(touch x)")
  const events = [
    ...startedWork(1),
    ...startedWork(2),
    new SessionStateChanged({ sessionId: sessionId(2), from: "Running", to: "Done", reason: "merged" }),
    new TicketSynced({ ticket: makeTicket({ id: ticketId(3), identifier: "LOC-../3", title: hostileTitle }) }),
    new WorkItemCreated({ workItemId: workItemId(3), ticketId: ticketId(3), repoPath: "/repo" }),
    new SessionSpawned({
      sessionId: hostile,
      workItemId: workItemId(3),
      ticketId: ticketId(3),
      harness: "harness.opencode",
      model: "m",
      worktreePath: "/wt/it's here"
    })
  ]
  await Effect.runPromise(
    Effect.flatMap(EventStore, (store) => store.append(events)).pipe(Effect.provide(eventStoreOnFile(storeFile())))
  )
}

/** "3s ago" and "4s ago" are the same table a second apart. */
const withoutAge = (table: string) => table.replace(/\d+[smhd] ago/g, "… ago")

describe("quick `sessions list`", () => {
  it("prints exactly what the full CLI prints, JSON and table, with and without --state", async () => {
    await populate()
    for (const state of [undefined, "Running", "Done", "Killed"]) {
      const stateArgs = state === undefined ? [] : ["--state", state]
      const json = quick({ json: true, ...(state === undefined ? {} : { state }) })
      const fullJson = full(["sessions", "list", "--json", ...stateArgs])
      expect(fullJson.status).toBe(0)
      expect(json?.stdout).toBe(fullJson.stdout)
      const table = quick(state === undefined ? {} : { state })
      const fullTable = full(["sessions", "list", ...stateArgs])
      expect(withoutAge(table?.stdout ?? "")).toBe(withoutAge(fullTable.stdout))
    }
    const listed = JSON.parse(quick({ json: true })?.stdout ?? "null") as Array<{ id: string; ticket: string; state: string }>
    expect(listed.map((session) => [session.id, session.ticket, session.state])).toEqual(
      expect.arrayContaining([
        ["ses-1", "LOC-1", "Running"],
        ["ses-2", "LOC-2", "Done"],
        ["ses-$(touch x)", "LOC-../3", "Starting"]
      ])
    )
    // The bin itself answers the same.
    expect(runBin(["sessions", "list", "--json"], env()).stdout).toBe(full(["sessions", "list", "--json"]).stdout)
  })

  it("prints the configuration's warnings on stderr, as the full CLI does", () => {
    expect(full(["sessions", "list"]).status).toBe(0)
    // At the top: below `[projects]` it would name a project.
    writeFileSync(configFile(), `colour = "teal"\n${readFileSync(configFile(), "utf8")}`)
    const fullRun = full(["sessions", "list", "--json"])
    expect(fullRun.stderr).toContain('unknown key "colour" is ignored')
    expect(quick({ json: true })).toEqual({ stdout: fullRun.stdout, stderr: fullRun.stderr })
  })

  it("answers nothing until a full run has validated this exact configuration text", () => {
    expect(quick({ json: true })).toBeUndefined() // fresh HOME: the full CLI creates config and store
    expect(full(["sessions", "list"]).status).toBe(0)
    expect(quick({ json: true })?.stdout).toBe("[]\n")

    // An edit, even a valid one, waits for the full CLI to check it again.
    const other = NodePath.join(home, "elsewhere", "other.sqlite")
    writeFileSync(configFile(), `${readFileSync(configFile(), "utf8").replace(/^event_store_path = .*$/m, `event_store_path = "${other}"`)}`)
    expect(quick({ json: true })).toBeUndefined()
    expect(runBin(["sessions", "list", "--json"], env()).stdout).toBe("[]\n")
    expect(readFileSync(other).length).toBeGreaterThan(0) // the full CLI opened the new store
    expect(quick({ json: true })?.stdout).toBe("[]\n")

    // An invalid edit is reported by the full CLI, never answered from the old record.
    writeFileSync(configFile(), '[database]\nbusy_timeout_ms = "soon"\n')
    expect(quick({ json: true })).toBeUndefined()
    const invalid = runBin(["sessions", "list", "--json"], env())
    expect(invalid.status).toBe(1)
    expect(invalid.stdout).toBe("")
    expect(invalid.stderr).toContain("database.busy_timeout_ms")
  })

  it("answers nothing for another HOME, another program version, a store at another migration, a corrupt or a missing store", () => {
    expect(full(["sessions", "list"]).status).toBe(0)
    expect(quickSessionsList({ config: undefined, json: true, state: undefined }, env(), "0.0.0-other", Date.now())).toBeUndefined()
    expect(quickSessionsList({ config: undefined, json: true, state: undefined }, { HOME: home, XDG_DATA_HOME: NodePath.join(home, "d") }, packageJson.version, Date.now())).toBeUndefined()

    // A store a newer version migrated further: its tables may have changed, only the full CLI reads it.
    const db = new Database(storeFile())
    db.prepare("UPDATE effect_sql_migrations SET migration_id = ? WHERE migration_id = ?").run(latestMigrationId + 1, latestMigrationId)
    expect(quick({ json: true })).toBeUndefined()
    db.prepare("UPDATE effect_sql_migrations SET migration_id = ? WHERE migration_id = ?").run(latestMigrationId, latestMigrationId + 1)
    db.close()
    expect(quick({ json: true })?.stdout).toBe("[]\n")

    // Rows the event store's decoding refuses: the quick path leaves them to the full CLI, which says so.
    const corruptRows: ReadonlyArray<readonly [string, string | null, string, string, number]> = [
      ["ses-x", null, "harness.codex", "Sleeping", 1],
      ["", null, "harness.codex", "Running", 1],
      ["ses-x", "jira:1", "harness.codex", "Running", 1],
      ["ses-x", null, "harness.claude", "Running", 1],
      ["ses-x", null, "harness.codex", "Running", -5]
    ]
    for (const [id, ticket, harness, state, at] of corruptRows) {
      const corrupt = new Database(storeFile())
      corrupt
        .prepare("INSERT INTO sessions (id, ticket_id, harness, worktree_path, state, created_at, last_activity_at, event_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .run(id, ticket, harness, "/wt", state, at, at, 0)
      corrupt.close()
      expect(quick({ json: true }), `${id} ${ticket} ${harness} ${state} ${at}`).toBeUndefined()
      expect(full(["sessions", "list", "--json"]).status).toBe(1)
      const cleanup = new Database(storeFile())
      cleanup.prepare("DELETE FROM sessions").run()
      cleanup.close()
    }
    expect(quick({ json: true })?.stdout).toBe("[]\n")

    rmSync(storeFile())
    expect(quick({ json: true })).toBeUndefined()
  })

  it("follows --config like the full CLI, with spaces and unicode in the path", () => {
    const custom = NodePath.join(home, "my conf ü", "o.toml")
    expect(full(["sessions", "list", "--config", custom]).status).toBe(0)
    expect(quick({ config: custom, json: true })?.stdout).toBe("[]\n")
    expect(quick({ json: true })).toBeUndefined() // the default config was never validated
  })
})
