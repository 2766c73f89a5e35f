// The built bin with its event store on a throwaway PostgreSQL: chosen by ORCHESTRATOR_DATABASE_URL or
// `[database] url`, read by the full CLI (never by the SQLite-only quick path), its password never shown.
import { Effect, Layer, Redacted, Schema } from "effect"
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { DatabaseSettings } from "../../../src/domain/config.js"
import { eventStoreOnPostgres } from "../../../src/layers/eventStore/postgres/postgresStore.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { startPostgres, type ThrowawayPostgres } from "../../support/postgres.js"
import { runBin } from "../../support/runBin.js"
import { sessionId, startedWork } from "../../support/sampleEvents.js"

let server: ThrowawayPostgres
let home = ""
beforeAll(async () => {
  server = await startPostgres()
  home = mkdtempSync(NodePath.join(tmpdir(), "orch-pg-bin-"))
}, 60_000)
afterAll(() => {
  server.stop()
  rmSync(home, { recursive: true, force: true })
})

const sqliteFile = () => NodePath.join(home, ".local", "share", "orchestrator", "events.sqlite")
const writeConfig = (text: string) => {
  const dir = NodePath.join(home, ".config", "orchestrator")
  mkdirSync(dir, { recursive: true })
  writeFileSync(NodePath.join(dir, "config.toml"), text)
}

describe("the event store on PostgreSQL (bin)", () => {
  it("ORCHESTRATOR_DATABASE_URL puts the store on the server; sessions list reads it there, every time", async () => {
    const url = server.createDatabase("bin_env")
    const first = runBin(["sessions", "list", "--json"], { HOME: home, ORCHESTRATOR_DATABASE_URL: url })
    expect(first.stderr).toBe("")
    expect(JSON.parse(first.stdout)).toEqual([])
    const db = Schema.decodeUnknownSync(DatabaseSettings)({})
    await Effect.runPromise(
      Effect.flatMap(EventStore, (store) => store.append(startedWork(1))).pipe(Effect.provide(Layer.fresh(eventStoreOnPostgres(Redacted.make(url), db))))
    )
    // A second run may take the quick path for a SQLite store; with a server it must not.
    for (let run = 0; run < 2; run++) {
      const listed = runBin(["sessions", "list", "--json"], { HOME: home, ORCHESTRATOR_DATABASE_URL: url })
      expect(listed.status).toBe(0)
      expect(JSON.parse(listed.stdout).map((s: { id: string }) => s.id)).toEqual([sessionId(1)])
    }
    expect(existsSync(sqliteFile())).toBe(false)
  }, 60_000)

  it("`[database] url` without the password takes it from PGPASSWORD; a password in the file is refused without being shown", async () => {
    server.createDatabase("bin_file")
    writeConfig(`[database]\nurl = "postgres://${server.user}@127.0.0.1:${server.port}/bin_file"\n`)
    const listed = runBin(["sessions", "list", "--json"], { HOME: home, PGPASSWORD: server.password })
    expect(listed.stderr).toBe("")
    expect(JSON.parse(listed.stdout)).toEqual([])

    writeConfig(`[database]\nurl = "postgres://${server.user}:${server.password}@127.0.0.1:${server.port}/bin_file"\n`)
    const refused = runBin(["sessions", "list", "--json"], { HOME: home })
    expect(refused.status).not.toBe(0)
    expect(refused.stderr).toContain("[database] url holds a password")
    expect(refused.stderr + refused.stdout).not.toContain(server.password)
  }, 60_000)

  it("a wrong password fails with the server named and no password shown", () => {
    writeConfig("")
    const url = server.url("bin_env").replace(server.password, "wrong-secret")
    const failed = runBin(["sessions", "list", "--json"], { HOME: home, ORCHESTRATOR_DATABASE_URL: url })
    expect(failed.status).not.toBe(0)
    expect(failed.stderr).toContain(`postgres://${server.user}@127.0.0.1:${server.port}/bin_env`)
    expect(failed.stderr).toContain("password authentication failed")
    expect(failed.stderr + failed.stdout).not.toContain("wrong-secret")
  }, 60_000)
})
