import { Command, type CommandExecutor, FileSystem, type HttpClient } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Chunk, Deferred, Duration, Effect, Option, Redacted, type Scope, Stream } from "effect"
import { randomBytes } from "node:crypto"
import type { BinaryUnavailable } from "../../../domain/errors.js"
import { HarnessError } from "../../../domain/errors.js"
import { packageBinDirs, resolveBinary } from "../binary.js"
import { agentEnvironment } from "../secrets.js"
import { stopProcess } from "../stopProcess.js"
import { defaultUsername, harnessName, makeOpenCodeClient, type ServerAddress } from "./client.js"

export interface ServerSettings {
  /** `runtime.opencode_server_base_url`; "" means always spawn. */
  readonly attachUrl: string
  /** `runtime.opencode_binary` */
  readonly binary: string
  readonly allowUnsafeCommandPaths: boolean
  readonly startupTimeout: Duration.Duration
  /** The environment orchestrator runs in; the spawned server gets it minus the secrets. */
  readonly environment: Readonly<Record<string, string | undefined>>
  /** `runtime.agent_env_remove`: names the server (and so every agent) loses besides the secrets. */
  readonly environmentRemove: ReadonlyArray<string>
  /** Where the spawned server runs; each request names its worktree anyway. */
  readonly workingDirectory: string
}

export interface RunningServer {
  readonly address: ServerAddress
  /** "attached" or "spawned", and the version, for `health`. */
  readonly description: string
  /** Completes with the reason when a spawned server exits; never for an attached one. */
  readonly exited: Effect.Effect<string>
}

const listening = /opencode server listening on (http:\/\/\S+)/
const tailLines = 20

/** A process ended by a signal has no exit code: the platform fails instead, naming the signal. */
const signalled = (error: PlatformError): string => {
  const signal = /signal: (\w+)/.exec(error.description ?? "")?.[1]
  return signal === undefined ? "unknown exit" : `killed by ${signal}`
}

const fail = (operation: string, detail: string) => new HarnessError({ harness: harnessName, operation, detail })

/** A bounded tail of the server's output, to explain a failed start or an exit. */
const makeTail = () => {
  let lines = Chunk.empty<string>()
  return {
    push: (line: string) =>
      Effect.sync(() => {
        lines = Chunk.takeRight(Chunk.append(lines, line), tailLines)
      }),
    text: Effect.sync(() => Chunk.join(lines, "\n"))
  }
}

const attach = (settings: ServerSettings) =>
  Effect.gen(function* () {
    if (settings.attachUrl === "") return Option.none<RunningServer>()
    // The same variables opencode's own clients read to reach a server that asks for a password.
    const username = settings.environment["OPENCODE_SERVER_USERNAME"] ?? defaultUsername
    const password = Option.fromNullable(settings.environment["OPENCODE_SERVER_PASSWORD"]).pipe(Option.map(Redacted.make))
    const address: ServerAddress = { baseUrl: settings.attachUrl.replace(/\/+$/, ""), username, password }
    const client = yield* makeOpenCodeClient(address)
    const health = yield* client.health.pipe(Effect.option)
    if (Option.isNone(health) || !health.value.healthy) {
      yield* Effect.logWarning(`${harnessName}: ${settings.attachUrl} is not healthy; starting a server instead`)
      return Option.none<RunningServer>()
    }
    const server: RunningServer = {
      address,
      description: `attached to ${address.baseUrl} (opencode ${health.value.version})`,
      exited: Effect.never
    }
    return Option.some(server)
  })

const spawn = (settings: ServerSettings) =>
  Effect.gen(function* () {
    const binary = yield* resolveBinary({
      configKey: "runtime.opencode_binary",
      value: settings.binary,
      allowUnsafeCommandPaths: settings.allowUnsafeCommandPaths,
      searchPath: settings.environment["PATH"] ?? "",
      extraDirs: packageBinDirs()
    })
    // On a fresh HOME with the store and worktrees elsewhere, nothing else has made this directory.
    const fs = yield* FileSystem.FileSystem
    yield* fs.makeDirectory(settings.workingDirectory, { recursive: true }).pipe(
      Effect.mapError((error) => fail("create the server's working directory", `${settings.workingDirectory}: ${error.message}`))
    )
    const password = randomBytes(24).toString("hex")
    const command = Command.make(binary, "serve", "--hostname", "127.0.0.1", "--port", "0").pipe(
      Command.env(agentEnvironment(settings.environment, {
        // Both set: a username meant for the person's own server must not lock this one.
        OPENCODE_SERVER_USERNAME: defaultUsername,
        OPENCODE_SERVER_PASSWORD: password
      }, settings.environmentRemove), { extendEnv: false }),
      Command.workingDirectory(settings.workingDirectory)
    )
    const process = yield* Command.start(command).pipe(
      Effect.mapError((error) => fail("start opencode serve", error.message))
    )
    // Runs before the platform's own finalizer, which waits for a SIGTERM without bound.
    yield* Effect.addFinalizer(() => stopProcess(process))
    const tail = makeTail()
    const url = yield* Deferred.make<string>()
    const drain = (stream: Stream.Stream<Uint8Array, unknown>) =>
      stream.pipe(
        Stream.decodeText(),
        Stream.splitLines,
        Stream.runForEach((line) => {
          const found = listening.exec(line)?.[1]
          return tail.push(line).pipe(Effect.zipRight(found === undefined ? Effect.void : Deferred.succeed(url, found)))
        }),
        Effect.ignore
      )
    yield* Effect.forkScoped(drain(process.stdout))
    yield* Effect.forkScoped(drain(process.stderr))
    // Watched once: every later reader (the start race, the event loop) sees the same exit.
    const exit = yield* Deferred.make<string>()
    yield* Effect.forkScoped(
      process.exitCode.pipe(
        Effect.map((code) => `exit code ${code}`),
        Effect.catchAll((error) => Effect.succeed(signalled(error))),
        Effect.flatMap((how) => tail.text.pipe(Effect.map((text) => `opencode serve exited (${how}): ${text}`))),
        Effect.flatMap((reason) => Deferred.succeed(exit, reason))
      )
    )
    const exited = Deferred.await(exit)
    const baseUrl = yield* Deferred.await(url).pipe(
      Effect.raceFirst(exited.pipe(Effect.flatMap((reason) => Effect.fail(fail("start opencode serve", reason))))),
      Effect.timeoutFail({
        duration: settings.startupTimeout,
        onTimeout: () =>
          fail(
            "start opencode serve",
            `no "listening" line within ${Duration.format(settings.startupTimeout)} (runtime.harness_server_startup_timeout_secs)`
          )
      })
    )
    const server: RunningServer = {
      address: { baseUrl, username: defaultUsername, password: Option.some(Redacted.make(password)) },
      description: `spawned ${binary} at ${baseUrl}`,
      exited
    }
    return server
  })

/**
 * The attached server when `opencode_server_base_url` answers healthy, otherwise a spawned
 * `opencode serve` that lives (and is killed) with the scope.
 */
export const acquireServer = (
  settings: ServerSettings
): Effect.Effect<
  RunningServer,
  HarnessError | BinaryUnavailable,
  Scope.Scope | CommandExecutor.CommandExecutor | FileSystem.FileSystem | HttpClient.HttpClient
> =>
  attach(settings).pipe(
    Effect.flatMap(Option.match({ onSome: Effect.succeed, onNone: () => spawn(settings) }))
  )
