import { afterEach, describe, expect, it } from "@effect/vitest"
import { cleanup } from "ink-testing-library"
import type { InboxEntry } from "../../src/programs/view/viewModel.js"
import { notificationSequence } from "../../src/ui/notifications.js"
import { notifierOf } from "../../src/ui/mount.js"
import { focusedSession, renderApp, vmWith } from "./harness.js"

afterEach(() => cleanup())

const item = (id: string, lane: InboxEntry["lane"], sessionId: string | null, title = `item ${id}`): InboxEntry => ({ id, lane, urgency: 50, title, sessionId })

describe("notifications", () => {
  it("ring and notify (OSC 9 and 777) for a new Decide/Unblock or Approvals item about another session, once", async () => {
    const written: Array<string> = []
    const app = renderApp(vmWith({ focused: focusedSession({ sessionId: "s1" }), inbox: [item("old", "decide", "s2")] }), { NO_COLOR: "1" }, (s) => written.push(s))
    await app.frame((f) => f.includes("item old"))
    // Already there at start: not news.
    expect(written).toEqual([])
    app.set((vm) => ({ ...vm, inbox: [...vm.inbox, item("fyi", "fyi", "s2"), item("mine", "approvals", "s1"), item("new", "approvals", "s2", "Merge PR #3; now?")] }))
    await app.frame((f) => f.includes("Merge PR #3"))
    expect(written).toEqual(["\u0007\u001b]9;Merge PR #3, now?\u0007\u001b]777;notify;orchestrator;Merge PR #3, now?\u0007"])
    app.set((vm) => ({ ...vm, notice: "something else" }))
    await app.frame((f) => f.includes("something else"))
    expect(written).toHaveLength(1)
  })

  it("[ui] notifications = false: the screen gets no notifier; true or unset: it writes to the terminal", () => {
    expect(notifierOf(false, process.stdout)).toBeUndefined()
    const written: Array<string> = []
    const notifier = notifierOf(undefined, { write: (chunk: string | Uint8Array) => written.push(String(chunk)) > 0 })
    notifier?.(notificationSequence("Could not start LOCAL-2"))
    expect(written.join("")).toContain("\u001b]9;Could not start LOCAL-2\u0007")
  })

  it("a title cannot carry its own escape sequence into the notification", () => {
    expect(notificationSequence("evil\u001b]0;pwned\u0007title")).not.toContain("pwned\u0007")
  })
})
