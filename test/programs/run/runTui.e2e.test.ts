import { spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { fileURLToPath } from "node:url"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { binPath, runBin } from "../../support/runBin.js"
import { makeTmux, tmuxAvailable } from "./tmux.js"

const probePath = NodePath.join(NodePath.dirname(fileURLToPath(import.meta.url)), "ttyProbe.mjs")

/** The scripted agent: streams a plan, asks for an approval; a message after that gets a reply. */
const script = {
  script: [
    { event: { _tag: "TurnStarted", turnId: "t1" } },
    { afterMs: 150, event: { _tag: "TextDelta", itemId: "m1", text: "Reading the " } },
    { afterMs: 250, event: { _tag: "TextDelta", itemId: "m1", text: "repository now." } },
    { afterMs: 150, event: { _tag: "ApprovalRequested", requestId: "r1", kind: "command", subject: "npm install left-pad", cwd: null, reason: "needs a dependency" } }
  ],
  // Input 1 is the planning prelude; input 2 the person's message.
  onInput: [[], [{ event: { _tag: "Message", itemId: "m2", text: "Understood, switching to CSS variables." } }]]
}

let root = ""
beforeEach(() => {
  root = mkdtempSync(NodePath.join(tmpdir(), "orch-tui-"))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const git = (cwd: string, ...args: ReadonlyArray<string>) => {
  const result = spawnSync("git", [...args], { cwd, encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", HOME: root, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.test", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.test" } })
  if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`)
}

/** A HOME with the local tracker, one ticket, a git repository (mapped under [projects] when `mapped`) and a scripted agent. */
const setUp = (agent: unknown, mapped = true) => {
  const home = NodePath.join(root, "home")
  const repo = NodePath.join(root, "repo")
  mkdirSync(NodePath.join(home, ".config", "orchestrator"), { recursive: true })
  mkdirSync(repo)
  git(repo, "init", "-q", "-b", "main")
  git(repo, "commit", "-q", "--allow-empty", "-m", "init")
  writeFileSync(
    NodePath.join(home, ".config", "orchestrator", "config.toml"),
    `ticketing_provider = "ticketing.local"\nworkspace = ${JSON.stringify(root)}\n${mapped ? `[projects]\ndemo = ${JSON.stringify(repo)}\n` : ""}`
  )
  const scriptPath = NodePath.join(root, "script.json")
  writeFileSync(scriptPath, JSON.stringify(agent))
  const added = runBin(["tickets", "add", "Add dark mode", "--project", "demo"], { HOME: home })
  expect(added.status).toBe(0)
  return { home, repo, env: { HOME: home, PATH: process.env["PATH"] ?? "", TERM: "xterm-256color", ORCHESTRATOR_SCRIPTED_HARNESS: scriptPath } }
}

/** 100 numbered words and an end mark: 600 characters a person must be able to read whole. */
const longWords = Array.from({ length: 100 }, (_, i) => `w${String(i).padStart(3, "0")}`)
const longMessage = `${longWords.join(" ")} ok.`
const question = "Which storage should the settings use? The current code keeps them in a JSON file beside the binary, which breaks on read-only installs; a database would survive upgrades."
const typed = "a🚀b é 日 😀z"

describe.skipIf(!tmuxAvailable)("orchestrator run in a real terminal (tmux; skipped only when /usr/bin/tmux is absent)", () => {
  it("picker → start → streamed transcript → approval → message → q exits 0 and gives the terminal back", async () => {
    const { home, env } = setUp(script)

    const tmux = makeTmux(`orch-e2e-${process.pid}-${Date.now()}`)
    try {
      tmux.start(env, [
        process.execPath,
        probePath,
        process.execPath,
        binPath,
        "run"
      ])
      const first = await tmux.waitFor((s) => s.includes("Press s to pick a ticket"), "the first screen")
      expect(first).toContain("Sessions")
      expect(tmux.pane("#{alternate_on}")).toBe("1")

      tmux.keys("s")
      const picker = await tmux.waitFor((s) => s.includes("LOCAL-1 [Todo] Add dark mode"), "the ticket picker")
      expect(picker).toMatch(/demo\s*│\n.*LOCAL-1/)

      tmux.keys("Enter")
      const streamed = await tmux.waitFor((s) => s.includes("Reading the repository now."), "the streamed transcript")
      expect(streamed).toContain("LOCAL-1")
      const approval = await tmux.waitFor((s) => s.includes("Approval needed (command)"), "the approval panel")
      expect(approval).toContain("npm install left-pad")
      expect(approval).toContain("Approve command: npm insta")

      tmux.keys("a")
      const approved = await tmux.waitFor((s) => s.includes("you › approval: accept") && !s.includes("Approval needed"), "the approval to clear")
      expect(approved).toContain("Inbox · empty")

      tmux.keys("i")
      tmux.type("use css variables")
      await tmux.waitFor((s) => s.includes("› use css variables"), "the typed message")
      tmux.keys("Enter")
      const replied = await tmux.waitFor((s) => s.includes("Understood, switching to CSS variables."), "the agent's reply")
      expect(replied.indexOf("you › use css variables")).toBeLessThan(replied.indexOf("Understood, switching"))

      tmux.keys("Escape")
      await tmux.waitFor((s) => s.includes("[normal]"), "normal mode")
      tmux.keys("q")
      const after = await tmux.waitFor((s) => s.includes("EXIT="), "the process to exit")
      // Exit code 0, and the terminal restored: line editing and echo back on, main screen, cursor shown.
      expect(after).toContain("EXIT=0 ICANON=on ECHO=on")
      expect(after).not.toContain("Sessions")
      expect(tmux.pane("#{alternate_on}")).toBe("0")
      expect(tmux.pane("#{cursor_flag}")).toBe("1")

      // Everything went through the store: the session is there after the run.
      const listed = runBin(["sessions", "list", "--json"], { HOME: home })
      expect(listed.status).toBe(0)
      expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ ticket: "LOCAL-1", harness: "harness.scripted", workflowState: "Planning" })])
    } finally {
      tmux.kill()
    }
  })

  it("at 80×24: a 600-character message shows whole, a question with options reads whole before answering, emoji input arrives intact", async () => {
    expect(longMessage.length).toBeGreaterThanOrEqual(500)
    const { env } = setUp({
      script: [
        { event: { _tag: "TurnStarted", turnId: "t1" } },
        { afterMs: 100, event: { _tag: "Message", itemId: "m1", text: longMessage } },
        { afterMs: 50, event: { _tag: "TurnCompleted", turnId: "t1", status: "completed", usage: { input: 10, output: 10, total: 20 }, error: null } }
      ],
      onInput: [
        [],
        [
          { event: { _tag: "NeedsInput", requestId: "q1", questions: [{ id: "storage", question, options: [{ label: "SQLite in the data directory", description: null }, { label: "Keep the JSON file", description: null }] }] } }
        ]
      ]
    })
    const tmux = makeTmux(`orch-e2e-${process.pid}-${Date.now()}`)
    try {
      tmux.start(env, [process.execPath, binPath, "run"], { columns: 80, rows: 24 })
      await tmux.waitFor((s) => s.includes("Press s to pick a ticket"), "the first screen")
      tmux.keys("s")
      await tmux.waitFor((s) => s.includes("LOCAL-1"), "the ticket picker")
      tmux.keys("Enter")
      const whole = await tmux.waitFor((s) => s.includes("ok."), "the long message")
      for (const word of longWords) expect(whole).toContain(word)

      tmux.keys("i")
      tmux.type(typed)
      await tmux.waitFor((s) => s.includes(typed), "the typed emoji")
      tmux.keys("Enter")
      const asked = await tmux.waitFor((s) => s.includes("The agent asks") && s.includes("2. Keep the JSON file"), "the question")
      // Every word of the question and both options are on screen before the answer.
      for (const word of question.split(" ")) expect(asked).toContain(word)
      expect(asked).toContain("1. SQLite in the data directory")
      expect(asked).toContain(`you › ${typed}`)
      tmux.keys("Escape")
      await tmux.waitFor((s) => s.includes("[normal]"), "normal mode")
      tmux.keys("1")
      await tmux.waitFor((s) => s.includes("you › answer:") && !s.includes("The agent asks"), "the answer")
    } finally {
      tmux.kill()
    }
  })

  it("run --demo: merged on screen shows `merged` in the side panel and leaves no stale inbox item", async () => {
    const home = NodePath.join(root, "home")
    mkdirSync(home)
    const tmux = makeTmux(`orch-e2e-${process.pid}-${Date.now()}`)
    try {
      tmux.start({ HOME: home, PATH: process.env["PATH"] ?? "", TERM: "xterm-256color" }, [process.execPath, binPath, "run", "--demo"], { columns: 160, rows: 45 })
      await tmux.waitFor((s) => s.includes("Press s to pick a ticket"), "the first screen", 30_000)
      // The supervisor answers offline, from the demo's scripted model server, and says so.
      tmux.keys("c")
      await tmux.waitFor((s) => s.includes("ask ›"), "the supervisor chat")
      tmux.type("what is blocked?")
      tmux.keys("Enter")
      const answered = await tmux.waitFor((s) => s.includes("Set OPENROUTER_API_KEY and run without --demo"), "the scripted answer", 30_000)
      expect(answered).toContain("[scripted demo answer, no model was called]")
      expect(answered).toContain("You asked: “what is blocked?”")
      tmux.keys("Escape")
      // Normal mode before the next key: an Escape and a key read together are one Alt+key.
      await tmux.waitFor((s) => s.includes("[normal]"), "normal mode")
      tmux.keys("s")
      await tmux.waitFor((s) => s.includes("LOCAL-1"), "the ticket picker")
      tmux.keys("Enter")
      await tmux.waitFor((s) => s.includes("[scripted] Plans one doc"), "the scripted summary in the side panel", 30_000)
      await tmux.waitFor((s) => s.includes("to let me implement."), "the plan")
      tmux.keys("w", "n")
      await tmux.waitFor((s) => s.includes("Ready for review.") && s.includes("3 of 3 done"), "the implementation, its plan ticked")
      // Forward until the pull request waits to be merged: w n pushes a draft, w n again marks the
      // reviewed draft ready; the scripted GitHub then approves it.
      tmux.keys("w", "n")
      await tmux.waitFor((s) => s.includes("AwaitingYourReview") || s.includes("Merge PR #1?"), "the draft to wait for review", 30_000)
      if (!tmux.screen().includes("Merge PR #1?")) tmux.keys("w", "n")
      const pending = await tmux.waitFor((s) => s.includes("Merge PR #1?") && s.includes("PendingMerge"), "the merge ask", 30_000)
      expect(pending).toContain("Approvals")
      tmux.keys("w", "m")
      await tmux.waitFor((s) => s.includes("Merge the pull request of LOCAL-1?"), "the confirmation")
      tmux.keys("y")
      // The session list takes the Done group with its next refresh from the store (every 2 s).
      const merged = await tmux.waitFor((s) => s.includes("#1 merged") && s.includes("Inbox · empty") && /│ Done +│/.test(s), "merged in the side panel", 30_000)
      expect(merged).not.toContain("Merge PR #1?")
      expect(merged).not.toContain("Review the draft")
      expect(merged).toMatch(/│ Done +│.*\n│ ▸✓ LOCAL-1/)
      // A few pipeline rounds later it still says so.
      await new Promise((resolve) => setTimeout(resolve, 5000))
      const later = tmux.screen()
      expect(later).toContain("#1 merged")
      expect(later).not.toContain("Merge PR #1?")
    } finally {
      tmux.kill()
    }
  }, 120_000)

  it("a ticket with no repository mapping: the screen asks, the chosen repository is used and remembered for the project", async () => {
    const { home, repo, env } = setUp(script, false)
    expect(runBin(["tickets", "add", "Add light mode", "--project", "demo"], { HOME: home }).status).toBe(0)
    const tmux = makeTmux(`orch-e2e-${process.pid}-${Date.now()}`)
    try {
      tmux.start(env, [process.execPath, binPath, "run"])
      await tmux.waitFor((s) => s.includes("Press s to pick a ticket"), "the first screen")
      tmux.keys("s")
      await tmux.waitFor((s) => s.includes("LOCAL-1 [Todo] Add dark mode"), "the ticket picker")
      tmux.keys("Enter")
      const asked = await tmux.waitFor((s) => s.includes("Which repository is LOCAL-1 in?"), "the repository chooser")
      expect(asked).toContain("No repository is known for project demo")
      // The workspace's one git repository is listed and selected.
      expect(asked).toContain(repo)
      tmux.keys("Enter")
      await tmux.waitFor((s) => s.includes("Reading the repository now."), "the agent started in it")

      // The project's next ticket starts without asking.
      tmux.keys("s")
      await tmux.waitFor((s) => s.includes("LOCAL-2 [Todo] Add light mode"), "the picker again")
      tmux.keys("Down", "Enter")
      await tmux.waitFor((s) => /LOCAL-2 · \w+/.test(s) && s.includes("started LOCAL-2"), "the second ticket started")
      expect(tmux.screen()).not.toContain("Which repository")
    } finally {
      tmux.kill()
    }
    const listed = runBin(["sessions", "list", "--json"], { HOME: home })
    const sessions: ReadonlyArray<{ readonly ticket: string; readonly worktree?: string }> = JSON.parse(listed.stdout)
    expect(sessions.map((s) => s.ticket).sort()).toEqual(["LOCAL-1", "LOCAL-2"])
  }, 60_000)
})
