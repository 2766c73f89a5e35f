import { Command, FileSystem } from "@effect/platform"
import { Effect, Layer, Option, Schema } from "effect"
import * as NodePath from "node:path"
import { Settings } from "../../../src/domain/config.js"
import { AppConfig } from "../../../src/services/AppConfig.js"

/** `git args...` in `cwd`; a non-zero exit is a defect of the test setup. */
export const git = (cwd: string, ...args: Array<string>) =>
  Command.make("git", ...args).pipe(
    Command.workingDirectory(cwd),
    Command.exitCode,
    Effect.flatMap((code) => (code === 0 ? Effect.void : Effect.die(`git ${args.join(" ")} exited with ${code}`)))
  )

/** A git repository at `repo` (made here) with one commit holding README.md, as a worktree would be. */
export const makeTestRepo = (repo: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    yield* fs.makeDirectory(repo, { recursive: true }).pipe(Effect.orDie)
    yield* git(repo, "init", "-q", "-b", "main").pipe(Effect.orDie)
    yield* fs.writeFileString(NodePath.join(repo, "README.md"), "# test repo\n").pipe(Effect.orDie)
    yield* git(repo, "add", "README.md").pipe(Effect.orDie)
    yield* git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "init").pipe(Effect.orDie)
  })

/** The config a harness layer reads: `[runtime]` values over the defaults, the given data dir, no secrets. */
export const harnessAppConfig = (dataDir: string, runtime: Record<string, unknown>) =>
  Layer.succeed(AppConfig, {
    file: NodePath.join(dataDir, "config.toml"),
    created: false,
    settings: Schema.decodeUnknownSync(Settings)({ runtime }),
    dataDir,
    secrets: { linearApiKey: Option.none(), shortcutApiToken: Option.none(), openrouterApiKey: Option.none() },
    warnings: []
  })

/** Sets variables in this process's environment for the scope: a harness layer reads it when built. */
export const parentVariables = (values: Record<string, string>) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const before = Object.keys(values).map((name) => [name, process.env[name]] as const)
      Object.assign(process.env, values)
      return before
    }),
    (before) =>
      Effect.sync(() => {
        for (const [name, value] of before) {
          if (value === undefined) delete process.env[name]
          else process.env[name] = value
        }
      })
  )
