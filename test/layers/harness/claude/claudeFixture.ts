import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { Context, Effect, Layer, Schema, type Scope } from "effect"
import { rm } from "node:fs/promises"
import * as NodePath from "node:path"
import { SessionId } from "../../../../src/domain/ids.js"
import { ClaudeLive } from "../../../../src/layers/harness/claude/ClaudeLive.js"
import { Harness, type SessionSpec } from "../../../../src/services/Harness.js"
import { makeMessagesServer, type MessagesServer } from "../../../fakes/modelServer/messagesServer.js"
import type { MessagesTurn } from "../../../fakes/modelServer/messagesScript.js"
import { harnessAppConfig, makeTestRepo } from "../harnessWorld.js"

/** The dummy key the agent gets; a test checks it never reaches a log. */
export const dummyApiKey = "sk-ant-dummy-test-key"

/**
 * What Claude Code needs to run offline against a scripted Messages server: its base URL and a
 * dummy key, a private HOME and config dir, and no telemetry, error reports or update checks.
 */
export const offlineClaudeEnv = (baseUrl: string, home: string): Record<string, string> => ({
  ANTHROPIC_BASE_URL: baseUrl,
  ANTHROPIC_API_KEY: dummyApiKey,
  HOME: home,
  CLAUDE_CONFIG_DIR: NodePath.join(home, ".claude"),
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  DISABLE_AUTOUPDATER: "1",
  DISABLE_TELEMETRY: "1",
  DISABLE_ERROR_REPORTING: "1"
})

/** A temp git repository, a private home and the Claude layer configured for them. */
export interface ClaudeWorld {
  readonly repo: string
  readonly home: string
  readonly dataDir: string
  readonly server: MessagesServer
  readonly spec: (overrides?: Partial<SessionSpec>) => SessionSpec
}

export const makeClaudeWorld = (
  script: ReadonlyArray<MessagesTurn>,
  home?: string
): Effect.Effect<ClaudeWorld, never, Scope.Scope | FileSystem.FileSystem | NodeContext.NodeContext> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    // Removed with retries: claude may still be writing its session files while it goes away.
    const root = yield* Effect.acquireRelease(fs.makeTempDirectory({ prefix: "orch-claude-" }).pipe(Effect.orDie), (dir) =>
      Effect.promise(() => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }))
    )
    const repo = NodePath.join(root, "repo")
    const claudeHome = home ?? NodePath.join(root, "home")
    const dataDir = NodePath.join(root, "data")
    const server = yield* makeMessagesServer(script)
    yield* Effect.all([fs.makeDirectory(claudeHome, { recursive: true }), fs.makeDirectory(dataDir)]).pipe(Effect.orDie)
    yield* makeTestRepo(repo)
    return {
      repo,
      home: claudeHome,
      dataDir,
      server,
      spec: (overrides = {}) => ({
        sessionId: Schema.decodeSync(SessionId)("ses-claude-1"),
        worktreePath: repo,
        model: "claude-sonnet-4-5",
        instructions: "You work on the test repository.",
        env: offlineClaudeEnv(server.baseUrl, claudeHome),
        approvalPolicy: "never",
        sandbox: "workspace-write",
        ...overrides
      })
    }
  })

/** The Claude layer with config from `runtime` overrides and the world's data dir. */
export const claudeLayer = (world: ClaudeWorld, runtime: Record<string, unknown> = {}) =>
  ClaudeLive.pipe(
    Layer.provide(harnessAppConfig(world.dataDir, { harness_server_startup_timeout_secs: 30, ...runtime })),
    Layer.provide(NodeContext.layer)
  )

/** The Claude harness, built in the test's scope so its sessions live until the test ends. */
export const claudeHarness = (world: ClaudeWorld, runtime: Record<string, unknown> = {}) =>
  Layer.build(claudeLayer(world, runtime)).pipe(Effect.map(Context.get(Harness)))
