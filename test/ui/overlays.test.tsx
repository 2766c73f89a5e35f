import { afterEach, describe, expect, it } from "@effect/vitest"
import { cleanup } from "ink-testing-library"
import type { TicketEntry } from "../../src/programs/view/viewModel.js"
import { focusedSession, keys, renderApp, vmWith } from "./harness.js"

afterEach(() => cleanup())

const ticket = (identifier: string, project: string, stateName: string, title: string): TicketEntry => ({
  id: `local:${identifier}`,
  identifier,
  title,
  project,
  stateName,
  started: false
})

const tickets = [
  ticket("WEB-3", "web", "Backlog", "Dark mode"),
  ticket("API-1", "api", "Todo", "Fix login bug"),
  ticket("API-2", "api", "In Progress", "Rate limits"),
  ticket("API-4", "api", "Done", "Old thing"),
  ticket("WEB-5", "web", "Todo", "Fix footer")
]

describe("ticket picker", () => {
  it("groups by project, orders states by ticket_picker_priority_states, and Enter starts the selected ticket", async () => {
    const app = renderApp(vmWith({ tickets }))
    await app.press("s")
    const frame = await app.frame((f) => f.includes("Tickets"))
    const order = ["api", "API-2", "API-1", "API-4", "web", "WEB-5", "WEB-3"].map((text) => frame.indexOf(text))
    expect(order.every((at) => at >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    await app.press("j", keys.enter)
    expect(app.calls).toEqual([{ action: "startTicket", args: ["local:API-1"] }])
    await app.frame((f) => !f.includes("filter:"))
  })

  it("typing filters; Enter starts the first match", async () => {
    const app = renderApp(vmWith({ tickets }))
    await app.press("s", "f", "o", "o", "t")
    const frame = await app.frame((f) => f.includes("filter: foot"))
    expect(frame).toContain("WEB-5")
    expect(frame).not.toContain("API-1")
    await app.press(keys.enter)
    expect(app.calls).toEqual([{ action: "startTicket", args: ["local:WEB-5"] }])
  })

  it("n types a new local ticket's title; Enter creates it", async () => {
    const app = renderApp(vmWith({ tickets: [] }))
    await app.press("s")
    expect(await app.frame((f) => f.includes("No tickets yet."))).toContain("press n here")
    await app.press("n", "A", "d", "d", " ", "x")
    await app.frame((f) => f.includes("New local ticket: Add x"))
    await app.press(keys.enter)
    expect(app.calls).toEqual([{ action: "createTicket", args: ["Add x"] }])
  })
})

describe("supervisor chat", () => {
  it("asks the typed question about the focused session and shows the streamed answer", async () => {
    const app = renderApp(vmWith({ focused: focusedSession() }))
    await app.press("c", "w", "h", "y", "?")
    await app.frame((f) => f.includes("ask › why?"))
    await app.press(keys.enter)
    expect(app.calls).toEqual([{ action: "ask", args: ["why?", "s1"] }])
    app.set((vm) => ({ ...vm, chat: { question: "why?", answer: "Because the", status: "streaming", unavailable: null } }))
    await app.frame((f) => f.includes("Because the"))
    app.set((vm) => ({ ...vm, chat: { ...vm.chat, answer: "Because the tests failed.", status: "finished" } }))
    await app.frame((f) => f.includes("Because the tests failed."))
    await app.press(keys.esc)
    await app.frame((f) => !f.includes("Supervisor"))
  })

  it("without a key it says what is missing", async () => {
    const app = renderApp(vmWith({ chat: { question: null, answer: "", status: "idle", unavailable: "The supervisor needs OPENROUTER_API_KEY in the environment." } }))
    await app.press("c")
    await app.frame((f) => f.includes("OPENROUTER_API_KEY"))
  })
})

describe("diff view", () => {
  it("D loads the focused work item's diff; j scrolls; Esc closes", async () => {
    const app = renderApp(vmWith({ focused: focusedSession() }))
    await app.press("D")
    expect(app.calls).toEqual([{ action: "openDiff", args: ["wi-1"] }])
    const text = ["diff --git a/x.ts b/x.ts", "@@ -1 +1 @@", "-old line", "+new line", ...Array.from({ length: 80 }, (_, i) => ` ctx ${i}`)].join("\n")
    app.set((vm) => ({ ...vm, diff: { label: "LOC-1", text, loading: false } }))
    let frame = await app.frame((f) => f.includes("+new line"))
    expect(frame).toContain("of 84")
    await app.press("j", "j", "j")
    frame = await app.frame((f) => f.includes("lines 4-"))
    expect(frame).not.toContain("-old line")
    await app.press(keys.esc)
    await app.frame((f) => !f.includes("Diff ·"))
    expect(app.calls.at(-1)).toEqual({ action: "closeDiff", args: [] })
  })
})

describe("confirmations", () => {
  it("x asks before archiving; y archives", async () => {
    const app = renderApp(vmWith({ focused: focusedSession() }))
    await app.press("x")
    await app.frame((f) => f.includes("Archive LOC-1?"))
    await app.press("y")
    expect(app.calls).toEqual([{ action: "archive", args: ["wi-1"] }])
  })

  it("w m asks before merging; n cancels and nothing runs", async () => {
    const app = renderApp(vmWith({ focused: focusedSession() }))
    await app.press("w", "m")
    await app.frame((f) => f.includes("Merge the pull request of LOC-1?"))
    await app.press("n")
    await app.frame((f) => !f.includes("Merge the pull request"))
    expect(app.calls).toEqual([])
  })
})

describe("help", () => {
  it("? lists every normal-mode key from the keymap table", async () => {
    const app = renderApp(vmWith({}))
    await app.press("?")
    const frame = await app.frame((f) => f.includes("Keys"))
    for (const text of ["w n", "advance workflow", "K/pageup", "D", "worktree diff", "q", "quit"]) expect(frame).toContain(text)
    await app.press(keys.esc)
    await app.frame((f) => !f.includes("Keys"))
  })
})

describe("repository chooser", () => {
  const choice = {
    ticketId: "local:LOCAL-7",
    ticketKey: "LOCAL-7",
    project: "web",
    candidates: ["/ws/api", "/ws/web"],
    completions: { typed: "", paths: [] }
  }

  it("opens when a ticket has no repository, lists the workspace's repositories and starts the ticket with the chosen one", async () => {
    const app = renderApp(vmWith({}))
    app.set((vm) => ({ ...vm, repositoryChoice: choice }))
    const frame = await app.frame((f) => f.includes("Which repository is LOCAL-7 in?"))
    expect(frame).toContain("/ws/api")
    expect(frame).toContain("project web")
    await app.press(keys.down, keys.enter)
    expect(app.calls).toEqual([{ action: "startTicket", args: ["local:LOCAL-7", "/ws/web"] }])
    await app.frame((f) => !f.includes("Which repository"))
  })

  it("a typed path asks for its completions; Tab takes the selected one; Enter starts with it", async () => {
    const app = renderApp(vmWith({}))
    app.set((vm) => ({ ...vm, repositoryChoice: choice }))
    await app.frame((f) => f.includes("Which repository"))
    await app.press("/", "s", "r")
    // The fake store records completePath only when the screen has it.
    app.set((vm) => ({ ...vm, repositoryChoice: { ...choice, completions: { typed: "/sr", paths: ["/srv/"] } } }))
    await app.frame((f) => f.includes("  /srv/"))
    await app.press("\t")
    await app.frame((f) => f.includes("path: /srv/"))
    await app.press("a", "p", "p", keys.enter)
    expect(app.calls.filter((c) => c.action === "startTicket")).toEqual([{ action: "startTicket", args: ["local:LOCAL-7", "/srv/app"] }])
  })
})
