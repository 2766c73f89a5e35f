// Many machines, for real on one host: a throwaway PostgreSQL, two `orchestrator runner` processes
// (alpha and beta, each with its own clone of the repository, its own worktrees and its own limit of
// two agents) and a coordinator (`run --headless --auto`) that has no clone at all. The agents are the
// real Codex against the scripted model server; gh is the scripted one; tickets are Linear's fake.
// Mid-way a runner goes down hard (kill -9 of it and its agents) while an agent is mid-turn, and comes
// back; then the coordinator is killed while an agent works, and a new one takes over, while the
// PostgreSQL server itself goes down hard and comes back under all of them.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Redacted, Schedule, Schema } from "effect"
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import * as NodePath from "node:path"
import { afterAll, beforeAll } from "vitest"
import { DatabaseSettings } from "../../src/domain/config.js"
import { runnerOfPath } from "../../src/domain/runner.js"
import { isTerminalSessionState } from "../../src/domain/session.js"
import { eventStoreOnPostgres } from "../../src/layers/eventStore/postgres/postgresStore.js"
import { EventStore } from "../../src/services/EventStore.js"
import { agentFile, agentFileText } from "../fakes/e2e/agentModelServer.js"
import { makeE2eWorld, type E2eWorld } from "../fakes/e2e/e2eWorld.js"
import { field, startOrchestrator } from "../fakes/e2e/orchestratorProcess.js"
import { freePort, startPostgres, type ThrowawayPostgres } from "../support/postgres.js"

let server: ThrowawayPostgres
beforeAll(async () => {
  server = await startPostgres()
}, 60_000)
afterAll(() => server.stop())

const database = Schema.decodeUnknownSync(DatabaseSettings)({})

/** A runner's machine: its own clone of origin, worktrees root and config (two agents at once). */
const runnerMachine = (world: E2eWorld, name: string, url: string) => {
  const dir = NodePath.join(world.root, name)
  const repo = NodePath.join(dir, "repo")
  mkdirSync(dir, { recursive: true })
  world.git(world.root, "clone", "-q", world.origin, repo)
  const config = NodePath.join(dir, "config.toml")
  writeFileSync(
    config,
    [
      `harness_provider = "harness.codex"`,
      `worktrees_root = ${JSON.stringify(NodePath.join(dir, "worktrees"))}`,
      `[git]`,
      `allow_destructive_automation = true`,
      `allow_delete_unmerged_branches = true`,
      `[github]`,
      `binary = ${JSON.stringify(NodePath.join(world.gh.dir, "gh-serial"))}`,
      `[runtime]`,
      `max_concurrent_sessions = 2`,
      `approval_policy = "never"`,
      `harness_server_startup_timeout_secs = 20`,
      `[projects]`,
      `ENG = ${JSON.stringify(repo)}`,
      ""
    ].join("\n")
  )
  return { name, env: { ...world.env, ORCHESTRATOR_CONFIG: config, ORCHESTRATOR_DATABASE_URL: url } }
}

const startRunner = (machine: { readonly name: string; readonly env: Record<string, string> }) =>
  Effect.gen(function* () {
    const port = yield* Effect.promise(freePort)
    const runner = yield* startOrchestrator(["runner", "--name", machine.name, "--host", "127.0.0.1", "--port", String(port)], machine.env)
    yield* runner.waitForLine((line) => line.startsWith(`runner ${machine.name} joined the cluster`), `runner ${machine.name} to join`, 60_000)
    return runner
  })

describe("many machines: a coordinator and two runners on PostgreSQL", () => {
  it.scopedLive(
    "four tickets end Done, two on each runner, with one worktree, branch and PR each, through kill -9 of a runner mid-turn, of the coordinator and of PostgreSQL",
    () =>
      Effect.gen(function* () {
        const url = server.createDatabase("many_machines")
        const world = yield* makeE2eWorld({ tickets: 4, maxConcurrentSessions: 4, tracker: "linear" })
        // The coordinator is this machine's `run`: the cluster on, the store on the server.
        appendFileSync(world.env["ORCHESTRATOR_CONFIG"] ?? "", "[cluster]\nenabled = true\n[database]\nmax_connections = 10\n")
        const coordinatorEnv = { ...world.env, ORCHESTRATOR_DATABASE_URL: url }
        const machines = { alpha: runnerMachine(world, "alpha", url), beta: runnerMachine(world, "beta", url) }
        const runners = { alpha: yield* startRunner(machines.alpha), beta: yield* startRunner(machines.beta) }

        const readStore = <A>(use: (store: EventStore["Type"]) => Effect.Effect<A, unknown>) =>
          Effect.flatMap(EventStore, use).pipe(Effect.provide(eventStoreOnPostgres(Redacted.make(url), database)), Effect.orDie)
        /** The runner of the work item of the ticket with this key. */
        const runnerOfTicket = (key: string) =>
          readStore((store) =>
            Effect.gen(function* () {
              for (const item of yield* store.workItems) {
                const ticket = yield* store.ticket(item.ticketId)
                if (Option.isSome(ticket) && ticket.value.identifier === key) return runnerOfPath(item.repoPath)
              }
              return null
            })
          )

        // An agent mid-turn (its implementation request held open by the model server).
        const implementing = yield* world.model.holdNext("implement")
        const first = yield* startOrchestrator(["run", "--headless", "--auto"], coordinatorEnv)
        const outputs = () =>
          [
            `--- coordinator ---\n${first.lines.slice(-60).join("\n")}\n${first.stderr().slice(-4000)}`,
            `--- alpha ---\n${runners.alpha.lines.slice(-30).join("\n")}\n${runners.alpha.stderr().slice(-4000)}`,
            `--- beta ---\n${runners.beta.lines.slice(-30).join("\n")}\n${runners.beta.stderr().slice(-4000)}`
          ].join("\n")
        const heldKey = yield* implementing.pipe(
          Effect.timeout("100 seconds"),
          Effect.catchAll(() => Effect.dieMessage(`no agent reached its implementation turn\n${outputs()}`))
        )
        const victim = yield* runnerOfTicket(heldKey)
        expect(victim === "alpha" || victim === "beta", `the held ticket ${heldKey} is on a runner`).toBe(true)
        const name = victim === "alpha" ? "alpha" : "beta"
        const other = name === "alpha" ? "beta" : "alpha"

        // The victim's machine goes down hard, agents and all; then it comes back under the same name.
        yield* runners[name].crashWithAgents
        yield* world.model.releaseHeld
        yield* Effect.sleep("3 seconds")
        const back = yield* startRunner(machines[name])

        // The coordinator is killed while an agent works on a runner; a new one takes over.
        const finishing = yield* world.model.holdNext("finish")
        yield* finishing.pipe(Effect.timeout("240 seconds"), Effect.orDie)
        yield* first.crash
        // The held request is cut; Codex asks again, and the agent finishes with no coordinator.
        yield* world.model.releaseHeld
        const second = yield* startOrchestrator(["run", "--headless", "--auto", "--until-idle"], coordinatorEnv)
        // PostgreSQL goes down hard while the new coordinator starts work and agents run on both runners:
        // every process reconnects (the coordinator's writer holds its events, its lease takes its lock again).
        yield* second.waitForLine((line) => line.includes("event=started"), "the new coordinator to start", 120_000)
        server.restart()
        const code = yield* second.exited(300_000).pipe(
          Effect.timeoutFail({ duration: "280 seconds", onTimeout: () => new Error("the new coordinator did not finish") }),
          Effect.catchAll((error) =>
            Effect.dieMessage(
              `${error.message}\n--- coordinator ---\n${second.lines.slice(-40).join("\n")}\n${second.stderr().slice(-3000)}\n--- ${name} (back) ---\n${back.lines.slice(-20).join("\n")}\n${back.stderr().slice(-3000)}\n--- ${other} ---\n${runners[other].lines.slice(-20).join("\n")}\n${runners[other].stderr().slice(-3000)}`
            )
          )
        )
        expect(code, second.lines.slice(-40).join("\n") + second.stderr()).toBe(0)

        const report = yield* readStore((store) =>
          Effect.gen(function* () {
            const items = yield* store.workItems
            const trees = yield* Effect.forEach(items, (item) => store.worktree(item.id))
            const spawned = yield* store.events({ types: ["SessionSpawned"], limit: 1000 })
            const ended = yield* store.events({ types: ["SessionStateChanged"], limit: 10_000 })
            const story = ended.flatMap(({ event }) =>
              event._tag === "SessionStateChanged" && (event.to === "Crashed" || event.to === "Killed") ? [`${event.sessionId} ${event.to}: ${event.reason}`] : []
            )
            const sessions = yield* store.sessions({})
            return { items, trees: trees.flatMap((tree) => (Option.isSome(tree) ? [tree.value] : [])), spawned: spawned.length, story, sessions }
          })
        )
        expect(report.items.map((item) => item.state)).toEqual(["Done", "Done", "Done", "Done"])
        // No agent is left running on a runner: each session ended with its work (or crashed and was stopped).
        expect(report.sessions.filter((row) => !isTerminalSessionState(row.state)).map((row) => `${row.id} ${row.state}`)).toEqual([])
        // Two on each runner: placement fills free slots, and the limit is two a runner.
        const on = (runner: string) => report.items.filter((item) => runnerOfPath(item.repoPath) === runner).length
        expect([on("alpha"), on("beta")]).toEqual([2, 2])
        // One worktree and branch each, on the runner's own disk; one agent session each (resumes are not spawns).
        expect(report.trees).toHaveLength(4)
        expect(new Set(report.trees.map((tree) => tree.branch)).size).toBe(4)
        for (const tree of report.trees) expect(runnerOfPath(tree.path)).toBe(runnerOfPath(tree.repoPath))
        // A session is spawned anew only after one crashed (a start cut short by the kill), never beside a live one.
        expect(report.spawned - 4, report.story.join("\n")).toBeLessThanOrEqual(report.story.length)
        // One pull request per branch, all merged, each with its agent's file; one comment on each ticket.
        const pulls = world.gh.read().pulls
        expect(world.gh.calls("pr", "create")).toHaveLength(4)
        expect(pulls.map((pull) => pull.state)).toEqual(["MERGED", "MERGED", "MERGED", "MERGED"])
        expect(new Set(pulls.map((pull) => pull.headRefName)).size).toBe(4)
        for (const pull of pulls) {
          const key = /ENG-\d+/.exec(pull.headRefName)?.[0] ?? "?"
          expect(world.git(world.origin, "show", `${pull.headRefOid}:${agentFile(key)}`)).toBe(agentFileText(key))
        }
        expect(world.linear.comments).toHaveLength(4)
        // The held turn ran again on the runner that came back. Every agent planned once. An implementation
        // turn runs once, or twice when its model response was cut while no coordinator was connected: that
        // turn failed, which ends its agent, and the next coordinator resumes the thread and sends it again.
        const answered = yield* world.model.answered
        expect(answered.some((a) => a.phase === "implement" && a.key === heldKey)).toBe(true)
        const times = (phase: string) => Object.fromEntries([1, 2, 3, 4].map((n) => [`ENG-${n}`, answered.filter((a) => a.phase === phase && a.key === `ENG-${n}`).length]))
        const instructed = [...first.lines, "--- second ---", ...second.lines].filter((line) => line.includes("AgentInstructed") || line.includes("resumed after") || line.includes("reattached") || line === "--- second ---")
        const story = `held ${heldKey} on ${name}\n${instructed.join("\n")}`
        expect(times("plan"), story).toEqual({ "ENG-1": 1, "ENG-2": 1, "ENG-3": 1, "ENG-4": 1 })
        for (const count of Object.values(times("implement"))) expect(count === 1 || count === 2, story).toBe(true)
        const webPort = yield* Effect.promise(freePort)
        appendFileSync(world.env["ORCHESTRATOR_CONFIG"] ?? "", `[web]\nport = ${webPort}\n`)
        // After the restart the runners' rows are fresh again, and a new coordinator reads it all.
        const viewer = yield* startOrchestrator(["run", "--headless", "--web"], coordinatorEnv)
        // The dashboard (a coordinator started with --web) names each session's runner and shows the runners' health.
        const started = yield* viewer.waitForLine((line) => line.includes("event=web_started"), "the dashboard to start", 60_000)
        const token = readFileSync(field(started, "token_file") ?? "", "utf8").trim()
        type State = { readonly sessions: ReadonlyArray<{ readonly runner?: string | null }>; readonly runners: ReadonlyArray<{ readonly name: string; readonly online: boolean }> }
        const readState = Effect.promise(
          (): Promise<State> => fetch(`http://127.0.0.1:${webPort}/api/state`, { headers: { authorization: `Bearer ${token}` } }).then((response) => response.json())
        )
        // Both runners refresh their rows.
        const state = yield* readState.pipe(
          Effect.filterOrFail((read) => read.runners.length === 2 && read.runners.every((r) => r.online)),
          Effect.retry({ schedule: Schedule.spaced("1 second"), times: 30 }),
          Effect.orElse(() => readState)
        )
        expect(state.runners.map((r) => [r.name, r.online])).toEqual([
          ["alpha", true],
          ["beta", true]
        ])
        expect(new Set(state.sessions.map((session) => session.runner))).toEqual(new Set(["alpha", "beta"]))
        yield* viewer.crash
        yield* back.crash
        yield* runners[other].crash
      }),
    600_000
  )
})
