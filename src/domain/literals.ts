// Plain values, without Effect, that the domain schemas are built from and that the quick start
// path (src/quick.ts) checks stored rows with.

/** Session lifecycle states (SPEC §4). Done, Crashed and Killed are terminal and sticky. */
export const sessionStateNames = ["Starting", "Running", "Idle", "WaitingForUser", "Done", "Crashed", "Killed"] as const

/** The inbox's lanes, most urgent first. */
export const inboxLaneNames = ["decide", "approvals", "reviews", "fyi"] as const

/** `harness.<name>`: which names exist is the harness table's business (src/layers/harness/providers.ts). */
export const harnessIdPattern = /^harness\.[a-z0-9_-]+$/

/** Namespaced ticket id: `linear:<id>`, `shortcut:<id>`, `github:<owner>/<repo>#<n>`, `jira:<KEY-n>` or `local:<id>` (`test:` in tests). */
export const ticketIdPattern = /^(linear|shortcut|github|jira|local|test):.+$/
