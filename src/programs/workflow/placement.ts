// Many machines: a new work item goes to a runner that has the ticket's project in its own
// `[projects]`, is online, and has a free slot; among those, the one with the most free slots.
import { Clock, Effect } from "effect"
import { locatePath, parseLocatedPath, runnerOfPath, runnerOnline, type RunnerRow } from "../../domain/runner.js"
import { projectKeys, type Ticket } from "../../domain/ticket.js"
import { WorkflowError } from "../../domain/workflowErrors.js"
import type { EventStore } from "../../services/EventStore.js"


const storeFailure = (operation: string) => (error: { readonly message: string }) => new WorkflowError({ operation, detail: error.message })

/** The located repository path (`runner:/path`) a new work item of `ticket` goes to. */
export const placeOnRunner = (store: EventStore["Type"], ticket: Ticket, chosen: string | undefined) =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    const runners = yield* Effect.mapError(store.runners, storeFailure("read the runners"))
    const online = runners.filter((row) => runnerOnline(row, now))
    if (chosen !== undefined) {
      const at = parseLocatedPath(chosen)
      if (at._tag === "None" || !runners.some((row) => row.name === at.value.runner)) {
        return yield* new WorkflowError({ operation: "choose a repository", detail: `${chosen} is not runner:/path on a known runner (${runners.map((r) => r.name).join(", ") || "none joined"})` })
      }
      return chosen
    }
    // A runner's slots hold its live agent sessions (the runner refuses a start beyond them), and the
    // work items just placed there whose agent is not started yet.
    const live = yield* Effect.mapError(store.sessions({ live: true }), storeFailure("read sessions"))
    const starting = yield* Effect.mapError(store.workItemsIn(["New"]), storeFailure("read work items"))
    const withAgent = new Set(live.flatMap((session) => (session.workItemId === null ? [] : [session.workItemId])))
    const load = (row: RunnerRow) =>
      live.filter((session) => runnerOfPath(session.worktreePath) === row.name).length +
      starting.filter((item) => !withAgent.has(item.id) && runnerOfPath(item.repoPath) === row.name).length
    const keys = [...new Set(projectKeys(ticket))]
    for (const key of keys) {
      const having = online.filter((row) => row.projects[key] !== undefined)
      if (having.length === 0) continue
      const free = having
        .map((row) => ({ row, free: row.maxSessions - load(row) }))
        .filter((candidate) => candidate.free > 0)
        .sort((a, b) => b.free - a.free || a.row.name.localeCompare(b.row.name))
      const best = free[0]
      if (best === undefined) {
        return yield* new WorkflowError({
          operation: "place the work item",
          detail: `every online runner with project ${key} is busy (${having.map((row) => `${row.name} ${load(row)}/${row.maxSessions}`).join(", ")}); it starts when one has a free slot`
        })
      }
      return locatePath(best.row.name, best.row.projects[key] ?? "")
    }
    const offline = runners.filter((row) => !runnerOnline(row, now)).map((row) => row.name)
    return yield* new WorkflowError({
      operation: "place the work item",
      detail: `no online runner has ${keys.join(" or ") || "the ticket's project"} in its [projects]${offline.length > 0 ? ` (offline: ${offline.join(", ")})` : ""}`
    })
  })
