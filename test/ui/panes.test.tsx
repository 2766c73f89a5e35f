import { afterEach, describe, expect, it } from "@effect/vitest"
import { cleanup, render } from "ink-testing-library"
import { ArtifactCreated, type DomainEvent, PullRequestObserved } from "../../src/domain/events.js"
import { ArtifactId, WorkItemId } from "../../src/domain/ids.js"
import { applyWorkEvents } from "../../src/programs/view/listFold.js"
import { emptySidePanel, type SessionItem, type SidePanel } from "../../src/programs/view/viewModel.js"
import { InboxLanes } from "../../src/ui/components/InboxLanes.js"
import { resolveTheme } from "../../src/ui/theme.js"
import { focusedSession, keys, renderApp, renderAppSized, vmWith } from "./harness.js"

afterEach(() => cleanup())

const session = (id: string, stage: SessionItem["stage"], patch: Partial<SessionItem> = {}): SessionItem => ({
  sessionId: id,
  workItemId: `wi-${id}`,
  label: id.toUpperCase(),
  title: `title of ${id}`,
  stage,
  state: "Idle",
  workflowState: null,
  active: false,
  ...patch
})

describe("empty states", () => {
  it("without tickets it teaches how to get one; a harness problem shows what to install", async () => {
    const app = renderApp(vmWith({ harnessProblem: "harness.codex cannot run (not found): install it with `npm install -g @openai/codex`" }))
    const frame = await app.frame((f) => f.includes("No tickets yet"))
    expect(frame).toContain("orchestrator sync tickets")
    expect(frame).toContain("press s then n to add a local ticket")
    expect(frame).toContain("npm install -g @openai/codex")
  })
})

describe("sessions pane", () => {
  it("groups sessions by stage with active/idle marks, and j/k focus the next/previous one", async () => {
    const sessions = [
      session("impl", "Implementing", { active: true, state: "Running" }),
      session("plan", "Planning"),
      session("rev", "Review", { state: "WaitingForUser" })
    ]
    const app = renderApp(vmWith({ sessions, focused: focusedSession({ sessionId: "plan", label: "PLAN" }) }))
    const frame = await app.frame((f) => f.includes("Sessions"))
    const order = ["Planning", "○ PLAN", "Implementing", "● IMPL", "Review", "! REV"].map((text) => frame.indexOf(text))
    expect(order.every((at) => at >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    await app.press("j")
    expect(app.calls).toEqual([{ action: "focusSession", args: ["impl"] }])
    // The store moves the focus; the next j goes on from there.
    app.set((vm) => ({ ...vm, focused: focusedSession({ sessionId: "impl", label: "IMPL" }) }))
    await app.frame((f) => f.includes("IMPL · Running"))
    await app.press("j", "j", "k")
    expect(app.calls.map((c) => c.args[0])).toEqual(["impl", "rev", "rev", "plan"])
  })

  it("on a cluster names each session's runner, the runners' health in the title, and 'runner offline' where its runner went quiet", async () => {
    const sessions = [
      session("impl", "Implementing", { active: true, state: "Running", runner: "alpha" }),
      session("plan", "Planning", { runner: "beta" })
    ]
    const runners = [
      { name: "alpha", host: "a.lan", online: true, live: 1, maxSessions: 2 },
      { name: "beta", host: "b.lan", online: false, live: 1, maxSessions: 2 }
    ]
    const app = renderAppSized(vmWith({ sessions, runners }), { columns: 140, rows: 40 })
    const frame = await app.frame((f) => f.includes("Sessions"))
    expect(frame).toContain("beta offline · alpha 1/2")
    expect(frame).toContain("● IMPL @alpha title of impl")
    expect(frame).toContain("○ PLAN @beta runner offline")
    // Back online: the warning goes.
    app.set((vm) => ({ ...vm, runners: runners.map((r) => ({ ...r, online: true })) }))
    const after = await app.frame((f) => f.includes("beta 1/2"))
    expect(after).not.toContain("runner offline")
  })
})

describe("a long session list", () => {
  const stages = ["Planning", "Implementing", "Review", "Other"] as const
  // 200 sessions, 50 per stage, in the order the list shows them: S001…S200.
  const labels = Array.from({ length: 200 }, (_, i) => `S${String(i + 1).padStart(3, "0")}`)
  const sessions = labels.map((label, i) => session(label.toLowerCase(), stages[Math.floor(i / 50)] ?? "Other", { label, title: `work ${i + 1}` }))
  const focus = (label: string) => focusedSession({ sessionId: label.toLowerCase(), label })
  /** The left column of an 80-column frame (the list is 26 wide there), line by line. */
  const column = (frame: string) => frame.split("\n").map((line) => line.slice(0, 26))
  const shownLabels = (frame: string) => column(frame).flatMap((line) => line.match(/S\d{3}/g) ?? [])
  const count = (frame: string, arrow: "↑" | "↓") => Number(new RegExp(`${arrow} (\\d+) more`).exec(frame)?.[1] ?? 0)

  /** Every label shown once, as one unbroken run of the list, the counts adding up to 200, the frame 24 rows. */
  const expectWhole = (frame: string) => {
    const shown = shownLabels(frame)
    const first = labels.indexOf(shown[0] ?? "")
    expect(shown).toEqual(labels.slice(first, first + shown.length))
    expect(count(frame, "↑")).toBe(first)
    expect(count(frame, "↑") + shown.length + count(frame, "↓")).toBe(200)
    expect(shown.length).toBeGreaterThan(10)
    expect(frame.split("\n").length).toBeLessThanOrEqual(24)
    // The first shown session sits under its stage's header.
    const lines = column(frame)
    const firstLine = lines.findIndex((line) => line.includes(shown[0] ?? "?"))
    expect(lines[firstLine - 1]).toContain(stages[Math.floor(first / 50)])
    return shown
  }

  it("at 80×24 keeps the header, the focused session and counts of what is above and below on screen", async () => {
    const app = renderAppSized(vmWith({ sessions, focused: focus("S090") }), { columns: 80, rows: 24 })
    const frame = await app.frame((f) => f.includes("S090 · "))
    expect(column(frame).some((line) => line.includes("Sessions"))).toBe(true)
    const shown = expectWhole(frame)
    expect(shown).toContain("S090")
    expect(column(frame).find((line) => line.includes("S090"))).toContain("▸")
    expect(count(frame, "↑")).toBeGreaterThan(0)
    expect(count(frame, "↓")).toBeGreaterThan(0)
  })

  it("moving the focus to the last session scrolls it into view; the first one scrolls back", async () => {
    const app = renderAppSized(vmWith({ sessions, focused: focus("S199") }), { columns: 80, rows: 24 })
    await app.frame((f) => f.includes("S199 · "))
    await app.press("j")
    expect(app.calls).toEqual([{ action: "focusSession", args: ["s200"] }])
    app.set((vm) => ({ ...vm, focused: focus("S200") }))
    let frame = await app.frame((f) => f.includes("S200 · "))
    let shown = expectWhole(frame)
    expect(shown[shown.length - 1]).toBe("S200")
    expect(count(frame, "↓")).toBe(0)
    expect(frame).toContain("Other")
    app.set((vm) => ({ ...vm, focused: focus("S001") }))
    frame = await app.frame((f) => f.includes("S001 · "))
    shown = expectWhole(frame)
    expect(shown[0]).toBe("S001")
    expect(count(frame, "↑")).toBe(0)
    expect(column(frame).some((line) => line.includes("Sessions"))).toBe(true)
  })
})

describe("inbox pane", () => {
  const item = (id: string, lane: "decide" | "approvals" | "reviews" | "fyi", urgency: number) => ({ id, lane, urgency, title: `item ${id}`, sessionId: null })

  it("shows lanes in order with the most urgent item first", async () => {
    const inbox = [item("low", "decide", 10), item("fyi1", "fyi", 1), item("high", "decide", 90), item("ap", "approvals", 70), ...[1, 2, 3, 4].map((n) => item(`f${n}`, "fyi", n))]
    const app = renderApp(vmWith({ inbox }))
    const frame = await app.frame((f) => f.includes("Inbox"))
    expect(frame).toContain("Inbox · 8")
    expect(frame.indexOf("Decide/Unblock")).toBeLessThan(frame.indexOf("Approvals"))
    expect(frame.indexOf("item high")).toBeLessThan(frame.indexOf("item low"))
    expect(frame.indexOf("item f4")).toBeLessThan(frame.indexOf("item f1"))
    expect(frame).not.toContain("more")
  })

  it("keeps a selected item in view under its lane's header", () => {
    const inbox = Array.from({ length: 30 }, (_, n) => item(`f${n}`, "fyi", 30 - n))
    const { lastFrame } = render(<InboxLanes inbox={inbox} height={8} selectedId="f20" theme={resolveTheme("nord", { NO_COLOR: "1" })} />)
    const lines = (lastFrame() ?? "").split("\n")
    // The gap, the title, ↑, the kept header, three items with the selected one in the middle, ↓.
    expect(lines).toHaveLength(8)
    expect(lines.slice(1, 4)).toEqual(["Inbox · 30", "↑ 19 more", "FYI"])
    expect(lines.slice(4, 7).map((line) => line.trim())).toEqual(["item f19", "item f20", "item f21"])
    expect(lines[7]).toBe("↓ 8 more")
  })

  it("beside many sessions keeps its lanes' headers and counts what does not fit", async () => {
    const inbox = [...Array.from({ length: 30 }, (_, n) => item(`d${n}`, "decide", 100 - n)), ...Array.from({ length: 30 }, (_, n) => item(`f${n}`, "fyi", 1))]
    const sessions = Array.from({ length: 40 }, (_, n) => session(`s${n}`, "Implementing"))
    const app = renderAppSized(vmWith({ inbox, sessions }), { columns: 80, rows: 24 })
    const frame = await app.frame((f) => f.includes("Inbox · 60"))
    const lines = frame.split("\n")
    expect(lines.length).toBeLessThanOrEqual(24)
    const inboxAt = lines.findIndex((line) => line.includes("Inbox · 60"))
    expect(lines[inboxAt + 1]).toContain("Decide/Unblock")
    expect(lines[inboxAt + 2]).toContain("item d0")
    const shown = lines.slice(inboxAt).filter((line) => /item [df]\d/.test(line)).length
    const below = Number(/↓ (\d+) more/.exec(lines.slice(inboxAt).join("\n"))?.[1] ?? 0)
    expect(shown).toBeGreaterThan(0)
    expect(shown + below).toBe(60)
    // The sessions keep their header and their own count above the inbox.
    expect(frame).toContain("Sessions")
    expect(lines.slice(0, inboxAt).join("\n")).toMatch(/↓ \d+ more/)
  })
})

describe("transcript pane", () => {
  const blocks = [
    { id: "m1", kind: "message" as const, text: "I will read the code first." },
    { id: "c1", kind: "command" as const, text: "npm test  (exit 1)\nFAIL one\nFAIL two\nFAIL three" },
    ...Array.from({ length: 60 }, (_, i) => ({ id: `x${i}`, kind: "message" as const, text: `line ${i}` }))
  ]

  it("folds commands to one line until z, and scrolls with K/PgUp and J/PgDn", async () => {
    const app = renderApp(vmWith({ focused: focusedSession({ blocks }) }))
    let frame = await app.frame((f) => f.includes("line 59"))
    expect(frame).not.toContain("line 0")
    await app.press(keys.pageUp, keys.pageUp, keys.pageUp, keys.pageUp, keys.pageUp)
    frame = await app.frame((f) => f.includes("npm test"))
    expect(frame).toContain("[+3 lines, z]")
    expect(frame).not.toContain("FAIL two")
    expect(frame).toMatch(/↓ \d+ newer lines/)
    await app.press("z")
    frame = await app.frame((f) => f.includes("FAIL two"))
    await app.press(keys.pageDown, keys.pageDown, keys.pageDown, keys.pageDown, keys.pageDown, keys.pageDown, "J")
    frame = await app.frame((f) => f.includes("line 59"))
    expect(frame).not.toContain("newer lines")
  })

  it("a 600-character message wraps at word boundaries and is readable whole at 80×24; a long reasoning block folds to its wrapped first line", async () => {
    const words = Array.from({ length: 100 }, (_, i) => `w${String(i).padStart(3, "0")}`)
    const message = `${words.join(" ")} END`
    expect(message.length).toBeGreaterThanOrEqual(500)
    const long = [
      { id: "r1", kind: "reasoning" as const, text: `thinking hard\n${"more ".repeat(200)}DONE` },
      { id: "m1", kind: "message" as const, text: message }
    ]
    const app = renderAppSized(vmWith({ focused: focusedSession({ blocks: long }) }), { columns: 80, rows: 24 })
    const frame = await app.frame((f) => f.includes("END"))
    for (const word of words) expect(frame).toContain(word)
    expect(frame).toContain("∴ thinking hard  [+1 lines, z]")
    expect(frame).not.toContain("DONE")
    // Nothing is cut with an ellipsis, the footer's hints included.
    expect(frame).not.toContain("…")
    expect(frame).toContain("? help")
  })

  it("keeps at most transcript_line_limit lines", async () => {
    const app = renderApp(vmWith({ transcriptLineLimit: 5, focused: focusedSession({ blocks }) }))
    await app.frame((f) => f.includes("line 59"))
    await app.press("K", "K", "K", "K", "K", "K", "K", "K")
    const frame = await app.frame((f) => f.includes("line 55"))
    expect(frame).not.toContain("line 54")
  })
})

describe("input line", () => {
  it("i then typing then Enter messages the agent; a running turn is steered", async () => {
    const app = renderApp(vmWith({ focused: focusedSession({ turnActive: true }) }))
    await app.frame((f) => f.includes("i: steer the running turn"))
    await app.press("i", "h", "i", " ", "q", "x", keys.backspace)
    await app.frame((f) => f.includes("steer › hi q"))
    await app.press(keys.enter)
    expect(app.calls).toEqual([{ action: "sendMessage", args: ["s1", "hi q"] }])
    await app.press(keys.esc, "?")
    await app.frame((f) => f.includes("Keys"))
  })
})

describe("needs-input and approval panels", () => {
  it("an approval shows its subject; a approves and d declines", async () => {
    const pending = [{ _tag: "Approval" as const, requestId: "r1", kind: "command", subject: "rm -rf build", reason: "clean the build" }]
    const app = renderApp(vmWith({ focused: focusedSession({ pending }) }))
    const frame = await app.frame((f) => f.includes("Approval needed"))
    expect(frame).toContain("rm -rf build")
    await app.press("a", "d")
    expect(app.calls).toEqual([
      { action: "answerApproval", args: ["s1", "r1", "accept"] },
      { action: "answerApproval", args: ["s1", "r1", "decline"] }
    ])
  })

  it("a question lists its options; a digit answers with that option", async () => {
    const pending = [{ _tag: "Input" as const, requestId: "q1", questions: [{ id: "db", question: "Which database?", options: ["sqlite", "postgres"] }] }]
    const app = renderApp(vmWith({ focused: focusedSession({ pending }) }))
    const frame = await app.frame((f) => f.includes("Which database?"))
    expect(frame).toContain("2. postgres")
    await app.press("3")
    await app.frame((f) => f.includes("No question has an option 3"))
    await app.press("2")
    expect(app.calls).toEqual([{ action: "answerInput", args: ["s1", "q1", { db: "postgres" }] }])
  })
})

describe("side panel", () => {
  const url = "https://example.test/pr/1"
  const observed = (patch: Partial<ConstructorParameters<typeof PullRequestObserved>[0]> = {}) =>
    new PullRequestObserved({
      workItemId: WorkItemId.make("wi-1"),
      number: 1,
      url,
      state: "OPEN",
      isDraft: false,
      reviewDecision: "",
      checks: "pending",
      failingChecks: [],
      headSha: null,
      ...patch
    })
  const opened = new ArtifactCreated({ artifactId: ArtifactId.make("wi-1:pr:1"), workItemId: WorkItemId.make("wi-1"), sessionId: null, kind: "pullRequest", title: "PR #1", uri: url })

  /** The focused work item's records folded as the bridge folds them, rendered on a terminal wide enough for the panel. */
  const panelAfter = async (events: ReadonlyArray<DomainEvent>, side: Partial<SidePanel> = {}) => {
    const vm = applyWorkEvents(vmWith({ focused: focusedSession({ side: { ...emptySidePanel, ...side } }) }), events)
    const app = renderApp(vm)
    Object.defineProperty(app.stdout, "columns", { value: 150, configurable: true })
    app.stdout.emit("resize")
    const frame = await app.frame((f) => f.includes("Changed files"))
    // The panel's own column, right of the transcript.
    return frame
      .split("\n")
      .map((line) => line.slice(150 - 36))
      .join("\n")
  }

  it("appears once the terminal is wide enough (resize) with PR, checks, review, files and summary", async () => {
    const vm = applyWorkEvents(
      vmWith({ focused: focusedSession({ side: { ...emptySidePanel, changedFiles: ["src/a.ts", "src/b.ts"], summary: "Adding tests." } }) }),
      [observed({ checks: "pass", reviewDecision: "APPROVED" })]
    )
    const app = renderApp(vm)
    let frame = await app.frame((f) => f.includes("LOC-1"))
    expect(frame).not.toContain("Changed files")
    Object.defineProperty(app.stdout, "columns", { value: 150, configurable: true })
    app.stdout.emit("resize")
    frame = await app.frame((f) => f.includes("Changed files"))
    expect(frame).toContain("src/b.ts")
    expect(frame).toContain("Adding tests.")
    expect(frame).toContain("#1 open · checks pass · approved")
  })

  it("says merged once the newest observation says so, though an older one said open", async () => {
    const panel = await panelAfter([opened, observed({ checks: "pass", reviewDecision: "APPROVED" }), observed({ state: "MERGED", checks: "pass", reviewDecision: "APPROVED" })])
    expect(panel).toContain("#1 merged")
    expect(panel).not.toContain("open")
    expect(panel).toContain(url)
  })

  it("shows draft, closed and failing checks as observed; only the link before any observation", async () => {
    expect(await panelAfter([opened])).toContain(url)
    expect(await panelAfter([opened])).not.toContain("#1")
    expect(await panelAfter([], { pullRequest: null })).toContain("none yet")
    const draft = await panelAfter([opened, observed({ isDraft: true, checks: "fail", failingChecks: [{ name: "lint", link: null }] })])
    expect(draft).toContain("#1 draft · checks fail")
    expect(draft).toContain("failing: lint")
    const closed = await panelAfter([observed({ reviewDecision: "CHANGES_REQUESTED" }), observed({ state: "CLOSED", reviewDecision: "CHANGES_REQUESTED" })])
    expect(closed).toContain("#1 closed")
    expect(closed).not.toContain("changes requested")
  })
})

describe("footer", () => {
  it("a prefix key shows which-key continuations; the second key runs the command", async () => {
    const app = renderApp(vmWith({ focused: focusedSession() }))
    await app.frame((f) => f.includes("[normal]"))
    await app.press("w")
    const frame = await app.frame((f) => f.includes("w …"))
    expect(frame).toContain("n advance workflow")
    expect(frame).toContain("m merge the pull request")
    await app.press("n")
    expect(app.calls).toEqual([{ action: "advance", args: ["wi-1"] }])
    await app.frame((f) => f.includes("[normal]"))
  })
})
