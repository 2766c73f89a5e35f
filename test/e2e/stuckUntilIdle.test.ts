import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { makeE2eWorld, withStore } from "../fakes/e2e/e2eWorld.js"
import { field, isEvent, startOrchestrator } from "../fakes/e2e/orchestratorProcess.js"

describe("orchestrator run --headless --auto --until-idle when work cannot move", () => {
  it.scopedLive(
    "an agent binary that exits at once: a bounded number of tries with growing waits, then the inbox, and exit 1 naming the ticket",
    () =>
      Effect.gen(function* () {
        const dir = yield* Effect.acquireRelease(
          Effect.sync(() => mkdtempSync(NodePath.join(tmpdir(), "orch-broken-codex-"))),
          (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
        )
        const broken = NodePath.join(dir, "codex-exits")
        writeFileSync(broken, "#!/bin/sh\necho 'codex: cannot start' >&2\nexit 1\n")
        chmodSync(broken, 0o755)
        const world = yield* makeE2eWorld({
          tickets: 1,
          runtime: [`codex_binary = ${JSON.stringify(broken)}`, `allow_unsafe_command_paths = true`, `max_retry_backoff_secs = 1`]
        })
        const run = yield* startOrchestrator(["run", "--headless", "--auto", "--until-idle"], world.env)
        const code = yield* run.exited(120_000)
        expect(code, run.lines.join("\n") + run.stderr()).toBe(1)

        const stuck = run.lines.filter(isEvent("stuck"))
        expect(stuck.map((line) => field(line, "ticket"))).toEqual(["ENG-1"])
        expect(stuck[0]).toContain("Could not start ENG-1")
        expect(run.stderr()).toContain("1 work item(s) cannot move without you: ENG-1")

        const report = yield* withStore(world, (store) =>
          Effect.gen(function* () {
            const spawned = yield* store.events({ types: ["SessionSpawned"] })
            const inbox = yield* store.inbox({ openOnly: true })
            return { spawned: spawned.length, inbox: inbox.map((entry) => entry.title) }
          })
        )
        // Bounded: never more starts than the limit, however long it runs.
        expect(report.spawned).toBeLessThanOrEqual(3)
        expect(report.inbox).toContain("Could not start ENG-1")
      }),
    150_000
  )
})
