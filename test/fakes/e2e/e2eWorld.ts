import { SqlClient } from "@effect/sql"
import { Effect, Layer, Schema, type Scope } from "effect"
import { spawnSync } from "node:child_process"
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { fileURLToPath } from "node:url"
import { DatabaseSettings } from "../../../src/domain/config.js"
import { eventStoreOnFile } from "../../../src/layers/eventStore/EventStoreTest.js"
import { makeSqlite } from "../../../src/layers/eventStore/sqlite.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { offlineClaudeEnv } from "../../layers/harness/claude/claudeFixture.js"
import { codexConfig } from "../../layers/harness/codex/codexFixture.js"
import { type FakeGh, fakeGh, fakeIssue } from "../gh/ghState.js"
import { type JiraFake, jiraFake, jiraIssue } from "../jira/server.js"
import { type LinearFake, linearFake, linearIssue } from "../linear/server.js"
import { type AgentModelServer, makeAgentModelServer } from "./agentModelServer.js"

/**
 * Everything `orchestrator run --headless` talks to in an end-to-end test, in one temp dir: a
 * repository cloned from a bare `origin`, `tickets` tickets of project/team ENG mapped to that
 * repository in the chosen tracker's fake (Linear, GitHub issues of the scripted gh, or Jira), the scripted gh on autopilot (serialized), a private CODEX_HOME whose only
 * provider is the agent model server, and the config file. All of it goes with the scope.
 */
export interface E2eWorld {
  readonly root: string
  readonly repo: string
  readonly origin: string
  readonly worktreesRoot: string
  readonly storePath: string
  readonly linear: LinearFake
  readonly jira: JiraFake
  readonly gh: FakeGh
  readonly model: AgentModelServer
  /** The orchestrator's environment: PATH, HOME, config path and the two keys. */
  readonly env: Record<string, string>
  /** `git args...` in `cwd`; its stdout, trimmed; throws on a non-zero exit. */
  readonly git: (cwd: string, ...args: ReadonlyArray<string>) => string
}

/** Where the tickets live: Linear's fake, GitHub issues in the scripted gh, or Jira's fake. */
export type E2eTracker = "linear" | "github" | "jira"

export interface E2eOptions {
  readonly tickets: number
  /** Linear unless said otherwise; the others' fakes run too, empty. */
  readonly tracker?: E2eTracker
  readonly maxConcurrentSessions?: number
  /** More `[runtime]` lines, e.g. another `codex_binary`. */
  readonly runtime?: ReadonlyArray<string>
  /** The agent: the real Codex (the default) or the real Claude Code, both against the agent model server. */
  readonly harness?: E2eHarness
}

export type E2eHarness = "codex" | "claude"

const LINEAR_KEY = "lin_api_e2e_test_key"
const JIRA_EMAIL = "me@example.test"
const JIRA_TOKEN = "jira_e2e_test_token"
const here = NodePath.dirname(fileURLToPath(import.meta.url))

const orchestratorConfig = (
  world: { repo: string; worktreesRoot: string; storePath: string; linearUrl: string; jiraUrl: string; gh: string },
  max: number,
  runtime: ReadonlyArray<string>,
  tracker: E2eTracker,
  harness: E2eHarness
) =>
  [
    `ticketing_provider = "ticketing.${tracker}"`,
    `harness_provider = "harness.${harness}"`,
    `worktrees_root = ${JSON.stringify(world.worktreesRoot)}`,
    `event_store_path = ${JSON.stringify(world.storePath)}`,
    `[linear]`,
    `api_url = ${JSON.stringify(world.linearUrl)}`,
    `[jira]`,
    `base_url = ${JSON.stringify(world.jiraUrl)}`,
    `project_key = "ENG"`,
    `[tracker]`,
    `sync_interval_secs = 1`,
    `[git]`,
    `allow_destructive_automation = true`,
    `allow_delete_unmerged_branches = true`,
    `[github]`,
    `binary = ${JSON.stringify(world.gh)}`,
    `auto_merge = true`,
    `[runtime]`,
    `auto_advance_to_implementing = true`,
    `dispatch_interval_secs = 1`,
    `pr_pipeline_poll_interval_secs = 1`,
    `max_concurrent_sessions = ${max}`,
    `approval_policy = "never"`,
    `harness_server_startup_timeout_secs = 20`,
    ...runtime,
    `[projects]`,
    `ENG = ${JSON.stringify(world.repo)}`,
    ""
  ].join("\n")

const gitIn = (home: string) => (cwd: string, ...args: ReadonlyArray<string>): string => {
  const result = spawnSync("git", [...args], {
    cwd,
    encoding: "utf8",
    env: {
      PATH: process.env["PATH"] ?? "",
      HOME: home,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.test",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.test"
    }
  })
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} in ${cwd}: ${result.stderr}`)
  return result.stdout.trim()
}

const tempRoot = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(NodePath.join(tmpdir(), "orch-e2e-"))),
  (root) => Effect.sync(() => rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }))
)

export const makeE2eWorld = (options: E2eOptions): Effect.Effect<E2eWorld, never, Scope.Scope> =>
  Effect.gen(function* () {
    const root = yield* tempRoot
    const home = NodePath.join(root, "home")
    const origin = NodePath.join(root, "origin.git")
    const repo = NodePath.join(root, "repo")
    const codexHome = NodePath.join(root, "codex-home")
    const worktreesRoot = NodePath.join(root, "worktrees")
    const storePath = NodePath.join(root, "data", "events.db")
    const configPath = NodePath.join(root, "config.toml")
    for (const dir of [home, codexHome]) mkdirSync(dir, { recursive: true })
    // The person's own git identity: orchestrator commits the agent's leftovers as them.
    writeFileSync(NodePath.join(home, ".gitconfig"), "[user]\n\tname = Pat Person\n\temail = pat@example.test\n")
    const git = gitIn(home)
    git(root, "init", "-q", "--bare", "-b", "main", origin)
    git(root, "clone", "-q", origin, repo)
    git(repo, "checkout", "-q", "-b", "main")
    writeFileSync(NodePath.join(repo, "README.md"), "# widgets\n")
    git(repo, "add", "README.md")
    git(repo, "commit", "-q", "-m", "init")
    git(repo, "push", "-q", "origin", "main")

    const tracker = options.tracker ?? "linear"
    const numbers = Array.from({ length: options.tickets }, (_, i) => i + 1)
    const seeded = (kind: E2eTracker) => (tracker === kind ? numbers : [])
    const title = (n: number) => `Add agent file ${n}`
    const linear = yield* linearFake({ apiKey: LINEAR_KEY, issues: seeded("linear").map((n) => linearIssue(n, { title: title(n) })) })
    const jira = yield* jiraFake({ email: JIRA_EMAIL, apiToken: JIRA_TOKEN, issues: seeded("jira").map((n) => jiraIssue(n, { summary: title(n) })) })
    // Issues and pull requests share GitHub's numbers.
    const gh = yield* fakeGh({ autopilot: true, issues: seeded("github").map((n) => fakeIssue(n, { title: title(n) })), nextNumber: options.tickets + 1 })
    const serialGh = NodePath.join(gh.dir, "gh-serial")
    copyFileSync(NodePath.join(here, "serialGh.mjs"), serialGh)
    chmodSync(serialGh, 0o755)
    const model = yield* makeAgentModelServer
    writeFileSync(NodePath.join(codexHome, "config.toml"), codexConfig(model.baseUrl))
    writeFileSync(
      configPath,
      orchestratorConfig(
        { repo, worktreesRoot, storePath, linearUrl: linear.url, jiraUrl: jira.url, gh: serialGh },
        options.maxConcurrentSessions ?? 2,
        options.runtime ?? [],
        tracker,
        options.harness ?? "codex"
      )
    )
    return {
      root,
      repo,
      origin,
      worktreesRoot,
      storePath,
      linear,
      jira,
      gh,
      model,
      git,
      env: {
        PATH: process.env["PATH"] ?? "",
        HOME: home,
        ORCHESTRATOR_CONFIG: configPath,
        LINEAR_API_KEY: LINEAR_KEY,
        JIRA_EMAIL,
        JIRA_API_TOKEN: JIRA_TOKEN,
        CODEX_HOME: codexHome,
        MOCK_API_KEY: "mock-key",
        ...(options.harness === "claude" ? offlineClaudeEnv(model.anthropicUrl, home) : {})
      }
    }
  })

const database = Schema.decodeUnknownSync(DatabaseSettings)({})

/** Reads the run's store after the process ended: the port for events, SQL for the integrity check. */
export const withStore = <A, E>(world: E2eWorld, use: (store: EventStore["Type"], sql: SqlClient.SqlClient) => Effect.Effect<A, E>) =>
  Effect.flatMap(Effect.all([EventStore, SqlClient.SqlClient]), ([store, sql]) => use(store, sql)).pipe(
    Effect.provide(Layer.merge(eventStoreOnFile(world.storePath), makeSqlite(world.storePath, database))),
    Effect.orDie
  )

/** `PRAGMA integrity_check`'s answer: "ok" for a sound database file. */
export const integrityCheck = (sql: SqlClient.SqlClient) =>
  Effect.map(sql<{ readonly integrity_check: string }>`PRAGMA integrity_check`, (rows) => rows.map((row) => row.integrity_check).join("; "))
