import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import type { Harness } from "../../../../src/services/Harness.js"
import { listenOnLoopback } from "../../../fakes/modelServer/httpFake.js"
import {
  eventsUntil,
  healthStatus,
  openCodeHarness,
  openCodeServers,
  setup,
  spec,
  startOpenCodeServe,
  turnCompleted,
  type Workspace
} from "./fixture.js"

const password = "attach-test-password"
const attached = /^attached to http:\/\/127\.0\.0\.1:\d+ \(opencode \d+\.\d+\.\d+\)$/
const spawned = /^spawned \S+opencode\S* at http:\/\/127\.0\.0\.1:\d+$/

/** One turn on a new session: its events up to TurnCompleted; the session is killed after. */
const oneTurn = (harness: Harness["Type"], ws: Workspace, prompt: string) =>
  Effect.gen(function* () {
    const handle = yield* harness.spawn(spec(ws))
    yield* handle.sendInput(prompt)
    const events = yield* eventsUntil(handle, turnCompleted)
    yield* handle.kill
    return events
  })

/** A port nothing listens on: bound, then released. */
const closedPort = Effect.scoped(listenOnLoopback(async () => {}))

describe("OpenCode harness attached to a running opencode serve", () => {
  it.scopedLive(
    "attaches with the password from the environment, runs a turn there, and leaves the server running when closed",
    () =>
      Effect.gen(function* () {
        const { model, ws } = yield* setup([{ kind: "text", text: "Hello from the attached server." }])
        const server = yield* startOpenCodeServe(ws, { OPENCODE_SERVER_PASSWORD: password })
        // The server really demands the password, so attaching proves the harness sent it.
        expect(yield* healthStatus(server.baseUrl, "opencode", "wrong")).toBe(401)
        const environment = { ...ws.env, OPENCODE_SERVER_PASSWORD: password }

        yield* Effect.scoped(
          Effect.gen(function* () {
            const harness = yield* openCodeHarness(ws, { opencode_server_base_url: `${server.baseUrl}/` }, environment)
            const health = yield* harness.health
            expect(health).toMatch(attached)
            expect(health).toContain(server.baseUrl)
            const handle = yield* harness.spawn(spec(ws))
            yield* handle.sendInput("say hello")
            const events = yield* eventsUntil(handle, turnCompleted)
            const tags = events.filter((e) => e._tag !== "TextDelta").map((e) => e._tag)
            expect(tags).toEqual(["TurnStarted", "Message", "TurnCompleted"])
            expect(events.find((e) => e._tag === "Message")).toMatchObject({ text: "Hello from the attached server." })
            expect(events.at(-1)).toMatchObject({ _tag: "TurnCompleted", turnId: "turn-1", status: "completed" })
            expect(yield* model.requests).toHaveLength(1)
            // Nothing was spawned in the data dir: the turn ran on the attached server.
            expect(yield* openCodeServers(ws)).toEqual([])
            // Both log settings are off by default: nothing written.
            expect(fs.existsSync(path.join(ws.dataDir, "logs"))).toBe(false)
            yield* handle.kill
          })
        )

        expect(yield* server.running).toBe(true)
        expect(yield* healthStatus(server.baseUrl, "opencode", password)).toBe(200)
      }),
    120_000
  )

  it.scopedLive(
    "uses OPENCODE_SERVER_USERNAME like opencode's own clients, when attaching and when spawning",
    () =>
      Effect.gen(function* () {
        const { model, ws } = yield* setup([
          { kind: "text", text: "Attached as alice." },
          { kind: "text", text: "Spawned despite alice." }
        ])
        const credentials = { OPENCODE_SERVER_USERNAME: "alice", OPENCODE_SERVER_PASSWORD: password }
        const server = yield* startOpenCodeServe(ws, credentials)
        expect(yield* healthStatus(server.baseUrl, "alice", password)).toBe(200)
        const environment = { ...ws.env, ...credentials }

        yield* Effect.scoped(
          Effect.gen(function* () {
            const harness = yield* openCodeHarness(ws, { opencode_server_base_url: server.baseUrl }, environment)
            expect(yield* harness.health).toMatch(attached)
            const events = yield* oneTurn(harness, ws, "who are you")
            expect(events.find((e) => e._tag === "Message")).toMatchObject({ text: "Attached as alice." })
          })
        )

        // The person's username for their own server must not lock the harness out of the one it spawns.
        yield* Effect.scoped(
          Effect.gen(function* () {
            const harness = yield* openCodeHarness(ws, {}, environment)
            expect(yield* harness.health).toMatch(spawned)
            const events = yield* oneTurn(harness, ws, "and now")
            expect(events.find((e) => e._tag === "Message")).toMatchObject({ text: "Spawned despite alice." })
          })
        )
        expect(yield* model.requests).toHaveLength(2)
      }),
    150_000
  )

  it.scopedLive(
    "spawns its own server when the URL is unreachable or the server there is unhealthy",
    () =>
      Effect.gen(function* () {
        const { ws } = yield* setup([])
        const port = yield* closedPort
        const unhealthy = yield* listenOnLoopback(async (_req, res) => {
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ healthy: false, version: "1.18.33" }))
        })
        const environment = { ...ws.env, OPENCODE_SERVER_PASSWORD: password }
        for (const url of [`http://127.0.0.1:${port}`, `http://127.0.0.1:${unhealthy}`]) {
          yield* Effect.scoped(
            Effect.gen(function* () {
              const harness = yield* openCodeHarness(ws, { opencode_server_base_url: url }, environment)
              const health = yield* harness.health
              expect(health).toMatch(spawned)
              expect(health).not.toContain(url)
              expect(yield* openCodeServers(ws)).toHaveLength(1)
            })
          )
          expect(yield* openCodeServers(ws)).toEqual([])
        }
      }),
    120_000
  )
})
