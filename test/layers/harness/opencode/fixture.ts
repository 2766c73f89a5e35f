import { Command } from "@effect/platform"
import { NodeContext, NodeHttpClient } from "@effect/platform-node"
import { Deferred, Duration, Effect, Layer, Option, Schema, type Scope, Stream } from "effect"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Settings } from "../../../../src/domain/config.js"
import type { SessionId } from "../../../../src/domain/ids.js"
import type { WorkerEvent } from "../../../../src/domain/workerEvent.js"
import { makeOpenCodeHarness } from "../../../../src/layers/harness/opencode/OpenCodeLive.js"
import { stopProcess } from "../../../../src/layers/harness/stopProcess.js"
import { AppConfig } from "../../../../src/services/AppConfig.js"
import type { HarnessHandle, SessionSpec } from "../../../../src/services/Harness.js"
import type { ChatStep } from "../../../fakes/modelServer/chatCompletionsScript.js"
import { makeChatCompletionsServer } from "../../../fakes/modelServer/chatCompletionsServer.js"

/** A temp git repository, a private HOME with XDG dirs, and a data dir; removed with the scope. */
export const makeWorkspace = (modelBaseUrl: string) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), "orch-opencode-"))
      const home = path.join(root, "home")
      const repo = path.join(root, "repo")
      const dataDir = path.join(root, "data")
      for (const dir of [home, repo, dataDir]) fs.mkdirSync(dir, { recursive: true })
      execFileSync("git", ["init", "-q", "-b", "main", repo])
      const env = {
        PATH: process.env["PATH"] ?? "",
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, ".config"),
        XDG_DATA_HOME: path.join(home, ".local", "share"),
        XDG_CACHE_HOME: path.join(home, ".cache"),
        XDG_STATE_HOME: path.join(home, ".local", "state"),
        // Must never reach the agent (asserted by the secrets tests of the server env).
        LINEAR_API_KEY: "lin_secret_never_shown"
      }
      // The person's global OpenCode config: the scripted model as the only provider.
      const configDir = path.join(env.XDG_CONFIG_HOME, "opencode")
      fs.mkdirSync(configDir, { recursive: true })
      fs.writeFileSync(
        path.join(configDir, "opencode.json"),
        JSON.stringify({
          $schema: "https://opencode.ai/config.json",
          model: "mock/m",
          autoupdate: false,
          share: "disabled",
          provider: {
            mock: { npm: "@ai-sdk/openai-compatible", options: { baseURL: modelBaseUrl, apiKey: "x" }, models: { m: {} } }
          }
        })
      )
      return { root, home, repo, dataDir, env }
    }),
    (ws) =>
      Effect.sync(() => {
        // A server that died leaves the agent's commands behind (each in its own process group).
        for (const pid of [...pidsIn(ws.repo), ...pidsIn(ws.dataDir)]) killQuietly(pid)
        fs.rmSync(ws.root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })
      })
  )
export type Workspace = Effect.Effect.Success<ReturnType<typeof makeWorkspace>>

export const testSettings = (runtime: Record<string, unknown> = {}) =>
  Schema.decodeUnknownSync(Settings)({ runtime: { harness_server_startup_timeout_secs: 60, ...runtime } })

/** The OpenCode harness on its own scope, so a test can drop it (kill the server) and start again. */
export const openCodeHarness = (
  ws: Workspace,
  runtime: Record<string, unknown> = {},
  environment: Readonly<Record<string, string>> = ws.env
) =>
  Effect.flatMap(Layer.build(Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici)), (platform) =>
    makeOpenCodeHarness({ environment }).pipe(
    Effect.provideService(AppConfig, {
      file: path.join(ws.root, "config.toml"),
      created: false,
      settings: testSettings(runtime),
      dataDir: ws.dataDir,
      secrets: { linearApiKey: Option.none(), shortcutApiToken: Option.none(), openrouterApiKey: Option.none() },
      warnings: []
    }),
    Effect.provide(platform)
  ))

export const spec = (ws: Workspace, overrides: Partial<SessionSpec> = {}): SessionSpec => ({
  sessionId: "ses-test" as SessionId,
  worktreePath: ws.repo,
  model: "mock/m",
  instructions: "You are working on a test ticket.",
  env: {},
  approvalPolicy: "never",
  sandbox: "workspace-write",
  ...overrides
})

/** Events up to and including the first that matches, bounded so a broken harness fails the test. */
export const eventsUntil = (
  handle: HarnessHandle,
  done: (event: WorkerEvent) => boolean,
  within: Duration.DurationInput = Duration.seconds(60)
) =>
  handle.events.pipe(
    Stream.takeUntil(done),
    Stream.runCollect,
    Effect.map((chunk) => [...chunk]),
    Effect.timeoutFail({ duration: within, onTimeout: () => new Error(`no matching event within ${Duration.format(within)}`) })
  )

export const turnCompleted = (event: WorkerEvent) => event._tag === "TurnCompleted"

/** The model server and workspace for one test. */
export const setup = (script: ReadonlyArray<ChatStep>): Effect.Effect<
  { model: Effect.Effect.Success<ReturnType<typeof makeChatCompletionsServer>>; ws: Workspace },
  never,
  Scope.Scope
> =>
  Effect.gen(function* () {
    const model = yield* makeChatCompletionsServer(script)
    const ws = yield* makeWorkspace(model.baseUrl)
    return { model, ws }
  })

/** A chat message's content as text, whether a string or a list of parts. */
export const textOf = (content: unknown): string => (typeof content === "string" ? content : JSON.stringify(content))

/** Pids of the live processes whose working directory is `dir` (Linux /proc). */
const pidsIn = (dir: string): ReadonlyArray<number> => {
  const wanted = fs.realpathSync(dir)
  return fs.readdirSync("/proc").filter((entry) => {
    if (!/^\d+$/.test(entry)) return false
    try {
      return fs.readlinkSync(path.join("/proc", entry, "cwd")) === wanted
    } catch {
      return false // gone meanwhile, or not ours to read
    }
  }).map(Number)
}

const killQuietly = (pid: number) => {
  try {
    process.kill(pid, "SIGKILL")
  } catch {
    // already gone
  }
}

const commandLine = (pid: number): string => {
  try {
    return fs.readFileSync(path.join("/proc", String(pid), "cmdline"), "utf8").split("\0").join(" ")
  } catch {
    return ""
  }
}

/** The spawned opencode serve runs in the workspace's data dir: this finds exactly this test's servers. */
export const openCodeServers = (ws: Workspace) =>
  Effect.sync(() => pidsIn(ws.dataDir).filter((pid) => commandLine(pid).includes(" serve ")))

/** The opencode binary `npm ci` installed beside the tests. */
const openCodeBinary = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../node_modules/.bin/opencode")

/**
 * An `opencode serve` the test starts itself (as a person would, for the harness to attach to), in
 * its own folder under the workspace with the workspace's HOME and config plus `env`. Stopped with
 * the scope.
 */
export const startOpenCodeServe = (ws: Workspace, env: Readonly<Record<string, string>>) =>
  Effect.gen(function* () {
    const dir = path.join(ws.root, "attached")
    fs.mkdirSync(dir, { recursive: true })
    const command = Command.make(openCodeBinary, "serve", "--hostname", "127.0.0.1", "--port", "0").pipe(
      Command.env({ ...ws.env, ...env }),
      Command.workingDirectory(dir)
    )
    const server = yield* Command.start(command)
    yield* Effect.addFinalizer(() => stopProcess(server))
    const url = yield* Deferred.make<string>()
    yield* Effect.forkScoped(
      Stream.merge(server.stdout, server.stderr).pipe(
        Stream.decodeText(),
        Stream.splitLines,
        Stream.runForEach((line) => {
          const found = /listening on (http:\/\/\S+)/.exec(line)?.[1]
          return found === undefined ? Effect.void : Deferred.succeed(url, found)
        })
      )
    )
    const baseUrl = yield* Deferred.await(url).pipe(Effect.timeoutFail({ duration: "60 seconds", onTimeout: () => new Error("opencode serve did not start") }))
    return { baseUrl, pid: server.pid, running: server.isRunning }
  }).pipe(Effect.provide(NodeContext.layer))

/** The HTTP status of `GET /global/health` with Basic auth (user:password), bounded. */
export const healthStatus = (baseUrl: string, user: string, password: string) =>
  Effect.tryPromise(() =>
    fetch(`${baseUrl}/global/health`, {
      headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` },
      signal: AbortSignal.timeout(10_000)
    }).then((response) => response.status)
  )
