import { Effect, Schema } from "effect"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { fileURLToPath } from "node:url"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { SessionSpawned, SessionStateChanged, TicketSynced, WorkItemCreated } from "../src/domain/events.js"
import { SessionId } from "../src/domain/ids.js"
import { eventStoreOnFile } from "../src/layers/eventStore/EventStoreTest.js"
import { EventStore } from "../src/services/EventStore.js"
import { ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN } from "../src/ui/alternateScreen.js"
import { EARLY_FRAME_NOTE } from "../src/ui/earlyFrame.js"
import { takeOverEarlyFrame } from "../src/ui/earlyFrameHold.js"
import { makeTmux, tmuxAvailable } from "./programs/run/tmux.js"
import { makeTicket, sessionId, startedWork, ticketId, workItemId } from "./support/sampleEvents.js"
import { binPath, projectRoot, runBin } from "./support/runBin.js"

// The built dist/early.cjs, as the bin loads it: its build id matches the records the built full CLI writes.
const { drawEarlyFrame } = createRequire(import.meta.url)(NodePath.join(projectRoot, "dist", "early.cjs")) as {
  drawEarlyFrame: (args: ReadonlyArray<string>, env: Record<string, string>, terminal: FakeTerminal) => boolean
}
const probePath = NodePath.join(NodePath.dirname(fileURLToPath(import.meta.url)), "programs", "run", "ttyProbe.mjs")

let root = ""
beforeEach(() => {
  root = mkdtempSync(NodePath.join(tmpdir(), "orch-early-"))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const home = () => NodePath.join(root, "home")
const storeFile = () => NodePath.join(home(), ".local", "share", "orchestrator", "events.sqlite")

/** A HOME whose config a full start has validated (the record the early frame trusts), with a store of three ended sessions and two open inbox items. */
const setUp = async (): Promise<Record<string, string>> => {
  const configDir = NodePath.join(home(), ".config", "orchestrator")
  mkdirSync(configDir, { recursive: true })
  writeFileSync(NodePath.join(configDir, "config.toml"), `ticketing_provider = "ticketing.local"\nworkspace = ${JSON.stringify(root)}\n`)
  const script = NodePath.join(root, "script.json")
  writeFileSync(script, JSON.stringify({ script: [] }))
  const env = { HOME: home(), PATH: process.env["PATH"] ?? "", TERM: "xterm-256color", ORCHESTRATOR_SCRIPTED_HARNESS: script }
  expect(runBin(["tickets", "list"], env).status).toBe(0)
  const hostile = Schema.decodeSync(SessionId)("ses-hostile")
  await Effect.runPromise(
    Effect.flatMap(EventStore, (store) =>
      store.append([
        ...startedWork(1),
        new SessionStateChanged({ sessionId: sessionId(1), from: "Running", to: "Done", reason: "merged" }),
        ...startedWork(2),
        new SessionStateChanged({ sessionId: sessionId(2), from: "Running", to: "Killed", reason: "killed" }),
        // A title that would retitle the window and clear the screen if printed raw.
        new TicketSynced({ ticket: makeTicket({ id: ticketId(3), identifier: "LOC-3", title: "Fix\u001b]0;pwned\u0007 it\u001b[2J now" }) }),
        new WorkItemCreated({ workItemId: workItemId(3), ticketId: ticketId(3), repoPath: "/repo" }),
        new SessionSpawned({ sessionId: hostile, workItemId: workItemId(3), ticketId: ticketId(3), harness: "harness.codex", model: null, worktreePath: "/wt/3" }),
        new SessionStateChanged({ sessionId: hostile, from: "Starting", to: "Crashed", reason: "test" })
      ])
    ).pipe(Effect.provide(eventStoreOnFile(storeFile())))
  )
  return env
}

/** The left column (the session list and the inbox, in their border) of a 140-column screen. */
const leftColumn = (screen: string) =>
  screen
    .split("\n")
    .map((line) => line.slice(0, 40))
    .join("\n")

describe.skipIf(!tmuxAvailable)("the early frame of `run` in a real terminal (tmux)", () => {
  it("shows the store's sessions and inbox at once, then Ink's screen takes over in place with the keys typed meanwhile", async () => {
    const env = await setUp()
    const tmux = makeTmux(`orch-early-${process.pid}-${Date.now()}`)
    try {
      tmux.start(env, [process.execPath, probePath, process.execPath, binPath, "run"])
      const early = await tmux.waitFor((s) => s.includes(EARLY_FRAME_NOTE), "the early frame")
      // Drawn from the store, on the alternate screen, before the screen's code loaded.
      expect(tmux.pane("#{alternate_on}")).toBe("1")
      expect(early).toMatch(/│ Planning +│\n│  ✓ LOC-1 Ticket 1 +│/)
      expect(early).toMatch(/│  ✕ LOC-2 Ticket 2 +│/)
      expect(early).toContain("✕ LOC-3 Fix it now")
      expect(early).toMatch(/│ Inbox · 2 +│\n│ Approvals +│\n│  Approve `rm -rf build`\? +│/)
      expect(early).toContain("[normal] j/down next session")
      expect(early).not.toContain("No session focused")
      expect(tmux.pane("#{pane_title}")).not.toContain("pwned")
      // A key typed now waits for the screen: not echoed over the frame, and not lost.
      tmux.keys("?")
      // The cursor waits at the top left: an echoed key would replace the frame's corner.
      const during = tmux.screen()
      if (during.includes(EARLY_FRAME_NOTE)) expect(during.startsWith("┌")).toBe(true)
      const ink = await tmux.waitFor((s) => s.includes("Esc close"), "the help overlay, opened by the key typed during the early frame")
      expect(ink).not.toContain(EARLY_FRAME_NOTE)
      tmux.keys("Escape")
      // Ink draws the same left column the early frame drew.
      await tmux.waitFor((s) => s.includes("No session focused") && leftColumn(s) === leftColumn(early), "Ink's screen with the early frame's left column")
      tmux.keys("q")
      const after = await tmux.waitFor((s) => s.includes("EXIT="), "the process to exit")
      expect(after).toContain("EXIT=0 ICANON=on ECHO=on")
      expect(tmux.pane("#{alternate_on}")).toBe("0")
    } finally {
      tmux.kill()
    }
  })

  it("an error before the screen mounts gives the terminal back first: the message stays readable on the main screen", async () => {
    const env = await setUp()
    const first = makeTmux(`orch-early-a-${process.pid}-${Date.now()}`)
    const second = makeTmux(`orch-early-b-${process.pid}-${Date.now()}`)
    try {
      first.start(env, [process.execPath, binPath, "run"])
      await first.waitFor((s) => s.includes("No session focused"), "the first run's screen")
      // The store is leased to the first run: the second draws its early frame, then fails.
      second.start(env, [process.execPath, probePath, process.execPath, binPath, "run"])
      const after = await second.waitFor((s) => s.includes("EXIT="), "the second run to exit")
      expect(after).toContain("is in use by another run")
      expect(after).toContain("EXIT=1 ICANON=on ECHO=on")
      expect(second.pane("#{alternate_on}")).toBe("0")
      expect(second.pane("#{cursor_flag}")).toBe("1")
      first.keys("q")
    } finally {
      first.kill()
      second.kill()
    }
  })
})

interface FakeTerminal {
  readonly stdout: { isTTY: boolean; columns: number; rows: number; written: string; write: (chunk: string) => boolean }
  readonly stderr: { isTTY: boolean; written: string; write: (chunk: string) => boolean }
  readonly stdin: { isTTY: boolean; raw: boolean; setRawMode: (raw: boolean) => void }
}

/** A stream that keeps what is written to it. */
const recorder = (isTTY: boolean) => {
  const stream = {
    isTTY,
    written: "",
    write(chunk: string) {
      stream.written += chunk
      return true
    }
  }
  return stream
}

const fakeTerminal = (columns = 100, rows = 30, tty = true): FakeTerminal => {
  const stdin = {
    isTTY: tty,
    raw: false,
    setRawMode(raw: boolean) {
      stdin.raw = raw
    }
  }
  return { stdout: Object.assign(recorder(tty), { columns, rows }), stderr: recorder(tty), stdin }
}

describe("drawEarlyFrame (dist/early.cjs)", () => {
  it("draws only for a plain `run` on a terminal whose configuration a full start validated, else writes nothing", async () => {
    const env = await setUp()
    const untouched = (args: ReadonlyArray<string>, terminal = fakeTerminal(), environment = env) => {
      expect(drawEarlyFrame(args, environment, terminal)).toBe(false)
      expect(terminal.stdout.written + terminal.stderr.written).toBe("")
      expect(terminal.stdin.raw).toBe(false)
    }
    for (const args of [["run", "--headless"], ["run", "--demo"], ["run", "--web"], ["--ticketing-provider", "ticketing.linear", "run"], ["sessions", "list"], ["run", "extra"]]) untouched(args)
    untouched(["run"], fakeTerminal(100, 30, false))
    untouched(["run"], fakeTerminal(50, 30))
    untouched(["run"], fakeTerminal(), { ...env, ORCHESTRATOR_DATABASE_URL: "postgres://127.0.0.1/x" })
    // An edited configuration is the full start's to validate.
    writeFileSync(NodePath.join(home(), ".config", "orchestrator", "config.toml"), `ticketing_provider = "ticketing.local"\nworkspace = ${JSON.stringify(root)}\n# edited\n`)
    untouched(["run"])
  })

  it("holds the terminal until the screen takes it over; anything else written first gives it back", async () => {
    const env = await setUp()
    const taken = fakeTerminal()
    expect(drawEarlyFrame(["--config", NodePath.join(home(), ".config", "orchestrator", "config.toml"), "run"], env, taken)).toBe(true)
    expect(taken.stdout.written.startsWith(ENTER_ALT_SCREEN)).toBe(true)
    expect(taken.stdout.written).toContain("LOC-2")
    expect(taken.stdout.written).not.toContain("pwned")
    expect(taken.stdin.raw).toBe(true)
    // The screen (another bundle in the real program) takes it over: raw mode and the alternate screen stay.
    expect(takeOverEarlyFrame({})).toBe(false)
    expect(takeOverEarlyFrame(taken.stdout)).toBe(true)
    taken.stdout.write("ink")
    expect(taken.stdout.written.endsWith("ink")).toBe(true)
    expect(taken.stdout.written).not.toContain(LEAVE_ALT_SCREEN)
    expect(taken.stdin.raw).toBe(true)
    expect(takeOverEarlyFrame(taken.stdout)).toBe(false)

    const interrupted = fakeTerminal()
    expect(drawEarlyFrame(["run"], env, interrupted)).toBe(true)
    interrupted.stderr.write("warning: something\n")
    expect(interrupted.stdout.written.endsWith(LEAVE_ALT_SCREEN)).toBe(true)
    expect(interrupted.stderr.written).toBe("warning: something\n")
    expect(interrupted.stdin.raw).toBe(false)
    // Given back: the screen enters the alternate screen itself.
    expect(takeOverEarlyFrame(interrupted.stdout)).toBe(false)
  })
})
