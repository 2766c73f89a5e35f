import { NodeContext } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { GitCliLive } from "../../../src/layers/vcs/GitCli.js"
import { configFromValue } from "../../../src/layers/config/ConfigLive.js"
import { AppConfig } from "../../../src/services/AppConfig.js"

/** Test-side git, argument arrays only. */
export const git = (cwd: string, ...args: ReadonlyArray<string>): string =>
  execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, LC_ALL: "C" },
    stdio: ["ignore", "pipe", "pipe"]
  })

export interface GitFixture {
  readonly dir: string
  readonly origin: string
  readonly repo: string
  readonly worktreesRoot: string
}

/** A bare `origin`, a clone with one commit on `main` pushed to it, and an empty worktrees root. */
export const gitFixture = Effect.acquireRelease(
  Effect.sync((): GitFixture => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "orch-vcs-")))
    const origin = path.join(dir, "origin.git")
    const repo = path.join(dir, "repo")
    git(dir, "init", "--quiet", "--bare", "--initial-branch=main", origin)
    git(dir, "clone", "--quiet", origin, repo)
    git(repo, "config", "user.name", "Test")
    git(repo, "config", "user.email", "test@example.com")
    git(repo, "checkout", "--quiet", "-b", "main")
    fs.writeFileSync(path.join(repo, "README.md"), "hello\n")
    git(repo, "add", "README.md")
    git(repo, "commit", "--quiet", "-m", "initial")
    git(repo, "push", "--quiet", "-u", "origin", "main")
    git(repo, "remote", "set-head", "origin", "main")
    return { dir, origin, repo, worktreesRoot: path.join(dir, "worktrees") }
  }),
  (fixture) => Effect.sync(() => fs.rmSync(fixture.dir, { recursive: true, force: true }))
)

export interface GitFlagsInput {
  readonly allow_delete_unmerged_branches?: boolean
  readonly allow_destructive_automation?: boolean
  readonly allow_force_push?: boolean
}

export const vcsLayer = (fixture: GitFixture, flags: GitFlagsInput = {}, binary = "git") =>
  GitCliLive.pipe(
    Layer.provide(
      Layer.effect(
        AppConfig,
        Effect.orDie(configFromValue({ worktrees_root: fixture.worktreesRoot, git: { binary, branch_prefix: "orch", ...flags } }, fixture.dir))
      )
    ),
    Layer.provide(NodeContext.layer)
  )

export const exists = (file: string): boolean => fs.existsSync(file)
export const write = (file: string, text: string): void => fs.writeFileSync(file, text)
export const read = (file: string): string => fs.readFileSync(file, "utf8")
