import { terminalLine } from "../domain/terminalText.js"
import type { InboxEntry } from "../programs/view/viewModel.js"

/** Lanes that wait on the person: an item landing in one is worth interrupting them for. */
const alerting: ReadonlySet<string> = new Set(["decide", "approvals"])

/**
 * Inbox items to announce: new since `seen`, in Decide/Unblock or Approvals, and not about the
 * session the person is looking at (they see that one already).
 */
export const newAlerts = (seen: ReadonlySet<string>, inbox: ReadonlyArray<InboxEntry>, focusedSessionId: string | null): ReadonlyArray<InboxEntry> =>
  inbox.filter((item) => !seen.has(item.id) && alerting.has(item.lane) && (item.sessionId === null || item.sessionId !== focusedSessionId))

/**
 * The bell plus a desktop notification in both common spellings: OSC 9 (iTerm2, Windows Terminal,
 * kitty, WezTerm) and OSC 777 (VTE terminals, foot, rxvt). Terminals ignore the one they do not know.
 * The title is one safe line without `;` (OSC 777 separates its fields with it).
 */
export const notificationSequence = (title: string): string => {
  const text = terminalLine(title).replace(/;/g, ",").slice(0, 200)
  return `\u0007\u001b]9;${text}\u0007\u001b]777;notify;orchestrator;${text}\u0007`
}
