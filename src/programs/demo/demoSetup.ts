import { execFileSync } from "node:child_process"
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { fileURLToPath } from "node:url"
import { stringify as stringifyToml } from "smol-toml"

export interface DemoEnvironment {
  readonly dir: string
  readonly configFile: string
  readonly repo: string
}

const git = (cwd: string, ...args: ReadonlyArray<string>) =>
  execFileSync("git", args, { cwd, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } })

/** The scripted gh ships as dist/scriptedGh.js (built) or sits beside this file (from source). */
const scriptedGhPath = (): string => {
  const here = NodePath.dirname(fileURLToPath(import.meta.url))
  const candidates = [NodePath.join(here, "scriptedGh.js"), NodePath.join(here, "..", "src", "programs", "demo", "scriptedGh.js")]
  const found = candidates.find((candidate) => existsSync(candidate))
  if (found === undefined) throw new Error("the demo's scripted gh is missing from this installation")
  return found
}

/**
 * Everything the demo touches, in one fresh temp dir: a sample repository with a bare origin, a
 * scripted gh on autopilot, and a config pointing the store and the worktrees inside it.
 */
export const createDemoEnvironment = (unattended: boolean): DemoEnvironment => {
  const dir = mkdtempSync(NodePath.join(tmpdir(), "orchestrator-demo-"))
  const origin = NodePath.join(dir, "origin.git")
  const repo = NodePath.join(dir, "sample-app")
  git(dir, "init", "--quiet", "--bare", "--initial-branch=main", origin)
  git(dir, "clone", "--quiet", origin, repo)
  git(repo, "checkout", "--quiet", "-b", "main")
  git(repo, "config", "user.name", "Demo")
  git(repo, "config", "user.email", "demo@example.invalid")
  writeFileSync(NodePath.join(repo, "README.md"), "# sample-app\n\nA tiny repository for the orchestrator demo.\n")
  mkdirSync(NodePath.join(repo, "src"))
  writeFileSync(NodePath.join(repo, "src", "greet.js"), "export const greet = (name) => `Hello, ${name}!`\n")
  git(repo, "add", ".")
  git(repo, "commit", "--quiet", "-m", "Initial commit")
  git(repo, "push", "--quiet", "-u", "origin", "main")
  git(repo, "remote", "set-head", "origin", "main")

  const ghDir = NodePath.join(dir, "gh")
  mkdirSync(ghDir)
  const gh = NodePath.join(ghDir, "gh")
  copyFileSync(scriptedGhPath(), gh)
  chmodSync(gh, 0o755)
  writeFileSync(
    NodePath.join(ghDir, "state.json"),
    JSON.stringify({
      authenticated: true,
      login: "demo",
      owner: "demo",
      repo: "sample-app",
      nextNumber: 1,
      allowedMergeMethods: ["squash", "merge", "rebase"],
      pulls: [],
      listLags: false,
      autopilot: true,
      calls: []
    })
  )

  const configFile = NodePath.join(dir, "config.toml")
  writeFileSync(
    configFile,
    [
      "# orchestrator demo: everything lives in this directory and goes when the demo ends.",
      stringifyToml({
        workspace: dir,
        worktrees_root: NodePath.join(dir, "worktrees"),
        event_store_path: NodePath.join(dir, "events.sqlite"),
        ticketing_provider: "ticketing.local",
        projects: { demo: repo },
        git: { allow_destructive_automation: true, allow_delete_unmerged_branches: false },
        // On screen the person confirms the merge (a gate); headless, nobody is there to ask.
        github: { binary: gh, auto_merge: unattended },
        // Any free port: two demos (or a demo and a real run) never collide.
        web: { host: "127.0.0.1", port: 0 },
        runtime: {
          allow_unsafe_command_paths: true,
          pr_pipeline_poll_interval_secs: 2,
          dispatch_interval_secs: 2,
          max_concurrent_sessions: 2,
          auto_advance_to_implementing: unattended
        }
      })
    ].join("\n")
  )
  return { dir, configFile, repo }
}

export const demoTickets: ReadonlyArray<{ readonly title: string; readonly description: string }> = [
  { title: "Document the greet helper", description: "Add a short page explaining what greet() returns." },
  { title: "Write a contributing guide", description: "How to run, test and submit changes to sample-app." },
  { title: "Describe the release steps", description: "A checklist for tagging and publishing a release." }
]
