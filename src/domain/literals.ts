// Plain values, without Effect, that the domain schemas are built from and that the quick start
// path (src/quick.ts) checks stored rows with.

/** Session lifecycle states (SPEC §4). Done, Crashed and Killed are terminal and sticky. */
export const sessionStateNames = ["Starting", "Running", "Idle", "WaitingForUser", "Done", "Crashed", "Killed"] as const

export const harnessIds = ["harness.codex", "harness.opencode", "harness.scripted"] as const

/** Namespaced ticket id: `linear:<id>`, `shortcut:<id>` or `local:<id>` (`test:` in tests). */
export const ticketIdPattern = /^(linear|shortcut|local|test):.+$/
