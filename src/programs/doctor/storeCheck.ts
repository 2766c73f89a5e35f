import { FileSystem } from "@effect/platform"
import { Clock, Effect, Option } from "effect"
import * as NodePath from "node:path"
import type { LoadedConfig } from "../../services/AppConfig.js"
import { runnerOnline } from "../../domain/located.js"
import type { LeaseHolder } from "../../domain/storeErrors.js"
import { type ServerHealth, type StoreHealth, StoreInspector } from "../../services/StoreInspector.js"
import type { CheckResult } from "./checkResult.js"

const store = (status: CheckResult["status"], detail: string): CheckResult => ({ name: "store", status, detail, required: true })

/** A store not made yet: its directory exists or can be made, and a file there can be written and removed. */
const missingStoreCheck = (file: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const dir = NodePath.dirname(file)
    const probe = NodePath.join(dir, `.orchestrator-doctor-${process.pid}`)
    const result = yield* Effect.either(
      Effect.gen(function* () {
        yield* fs.makeDirectory(dir, { recursive: true })
        yield* fs.writeFileString(probe, "ok")
        yield* fs.remove(probe)
      })
    )
    return result._tag === "Right"
      ? store("ok", `${file} (not made yet: the first command creates it)`)
      : store("fail", `${dir} is not writable: ${result.left.message}`)
  })

/** quick_check's first findings on one line (it answers in lines, under a "*** in database main ***" heading). */
const firstProblems = (check: ReadonlyArray<string>) =>
  check
    .flatMap((line) => line.split("\n"))
    .filter((line) => line.trim() !== "" && !line.startsWith("***"))
    .slice(0, 3)
    .join("; ")

/** The words for a store that is there, from the worst finding down. */
export const describeStore = (file: string, health: Extract<StoreHealth, { _tag: "Present" }>): CheckResult => {
  if (health.version > health.knownVersion) {
    return store(
      "fail",
      `${file} was made by a newer orchestrator (store version ${health.version}, this build knows up to ${health.knownVersion}): upgrade orchestrator; until then only tickets list and sessions read it`
    )
  }
  if (health.check.length !== 1 || health.check[0] !== "ok") {
    return store(
      "fail",
      `${file} is damaged (SQLite quick_check: ${firstProblems(health.check)}): move it aside (mv "${file}" "${file}.broken") to start an empty store`
    )
  }
  const owner = leaseWords(health.lease)
  if (health.readOnly) {
    return store("warn", `${file} is read-only (quick_check ok${owner}): tickets list and sessions work; make it writable (chmod u+w) for the rest`)
  }
  return store("ok", `${file} (store version ${health.version}, quick_check ok${owner})`)
}

const leaseWords = (lease: Option.Option<LeaseHolder>) =>
  Option.match(lease, { onNone: () => "", onSome: (holder) => `, owned by the run of pid ${holder.pid} on ${holder.host} since ${new Date(holder.since).toISOString()}` })

/** A PostgreSQL store: reachable, its version against this build's, and who owns it. */
export const describeServer = (health: Extract<ServerHealth, { _tag: "Present" }>): CheckResult => {
  if (health.version > health.knownVersion) {
    return store("fail", `${health.where} was migrated by a newer orchestrator (store version ${health.version}, this build knows up to ${health.knownVersion}): upgrade orchestrator`)
  }
  const made = health.version === 0 ? "empty: the first command migrates it" : `store version ${health.version}`
  return store("ok", `${health.where} (PostgreSQL ${health.serverVersion}, ${made}${leaseWords(health.lease)})`)
}

/**
 * On a cluster ([cluster] enabled): the runners that joined, online or not, and which projects they
 * take. No online runner with a project means no work can be placed.
 */
export const clusterCheck = (health: Extract<ServerHealth, { _tag: "Present" }>, now: number): CheckResult => {
  const online = health.runners.filter((row) => runnerOnline(row, now))
  const words = health.runners.map((row) =>
    runnerOnline(row, now)
      ? `${row.name} on ${row.host} (${Object.keys(row.projects).join(", ") || "no projects"}; ${row.maxSessions} at once)`
      : `${row.name} offline since ${new Date(row.seenAt).toISOString()}`
  )
  const placeable = online.some((row) => Object.keys(row.projects).length > 0)
  if (!placeable) {
    const why = health.runners.length === 0 ? "no runner has joined" : `no online runner has [projects] (${words.join("; ")})`
    return { name: "cluster", status: "fail", detail: `${why}: start \`orchestrator runner --name NAME\` on each machine, with its own [projects]`, required: true }
  }
  return { name: "cluster", status: online.length === health.runners.length ? "ok" : "warn", detail: words.join("; "), required: true }
}

/** The event store: SQLite's own check, its version against this build's, read-only, and who owns it; or the PostgreSQL server's. */
export const storeChecks = (config: LoadedConfig) =>
  Effect.gen(function* () {
    const inspector = yield* StoreInspector
    const server = yield* inspector.inspectServer(config.settings.database)
    const cluster = config.settings.cluster.enabled
    switch (server._tag) {
      case "None":
        return cluster
          ? [yield* storeCheck(config), { name: "cluster", status: "fail", detail: "[cluster] enabled needs the shared PostgreSQL store: set [database] url or ORCHESTRATOR_DATABASE_URL", required: true } satisfies CheckResult]
          : [yield* storeCheck(config)]
      case "Unusable":
        return [store("fail", server.message)]
      case "Present":
        return cluster ? [describeServer(server), clusterCheck(server, yield* Clock.currentTimeMillis)] : [describeServer(server)]
    }
  })

/** The SQLite store file. */
const storeCheck = (config: LoadedConfig) =>
  Effect.gen(function* () {
    const inspector = yield* StoreInspector
    const file = config.settings.event_store_path
    const health = yield* inspector.inspect(file)
    switch (health._tag) {
      case "Missing":
        return yield* missingStoreCheck(file)
      case "Unusable":
        return store("fail", health.message)
      case "Present":
        return describeStore(file, health)
    }
  })
