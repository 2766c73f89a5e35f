import { Effect, Option } from "effect"
import { existsSync, statSync } from "node:fs"
import * as NodePath from "node:path"
import { projectKeys, type Ticket } from "../../domain/ticket.js"
import { RepositoryUnknown, WorkflowError } from "../../domain/workflowErrors.js"
import type { LoadedConfig } from "../../services/AppConfig.js"
import type { EventStore } from "../../services/EventStore.js"
import { placeOnRunner } from "./placement.js"

const isRepository = (path: string): boolean => {
  try {
    return statSync(path).isDirectory() && existsSync(NodePath.join(path, ".git"))
  } catch {
    return false
  }
}

/**
 * The repository a ticket's work happens in: the one the person chose now, the `[projects]`
 * mapping, or the one chosen before for a ticket of the same project (remembered in the store).
 * On a cluster, a runner's repository (placement.ts).
 */
export const resolveRepository = (
  config: LoadedConfig,
  store: EventStore["Type"],
  ticket: Ticket,
  chosen: string | undefined
) =>
  Effect.gen(function* () {
    if (config.settings.cluster.enabled) return yield* placeOnRunner(store, ticket, chosen)
    if (chosen !== undefined) {
      const path = NodePath.resolve(chosen)
      if (!isRepository(path)) return yield* new WorkflowError({ operation: "choose a repository", detail: `${path} is not a git repository` })
      return path
    }
    const keys = projectKeys(ticket)
    const mapped = keys.map((key) => config.settings.projects[key]).find((path) => path !== undefined)
    if (mapped !== undefined) {
      if (!isRepository(mapped)) {
        return yield* new WorkflowError({ operation: "resolve the repository", detail: `[projects] maps ${ticket.project ?? ticket.identifier} to ${mapped}, which is not a git repository` })
      }
      return mapped
    }
    if (keys.length === 0) return yield* new RepositoryUnknown({ ticketId: ticket.id, project: null })
    const items = yield* Effect.mapError(store.workItems, (error) => new WorkflowError({ operation: "read work items", detail: error.message }))
    // Newest first: the keys of each earlier work item's ticket, with the repository it went to.
    const earlier: Array<{ readonly keys: ReadonlyArray<string>; readonly repoPath: string }> = []
    for (const item of [...items].reverse()) {
      const other = yield* Effect.orElseSucceed(store.ticket(item.ticketId), () => Option.none<Ticket>())
      if (Option.isSome(other)) earlier.push({ keys: projectKeys(other.value), repoPath: item.repoPath })
    }
    // The same project before the same team: a team may work in several repositories.
    for (const key of keys) {
      const same = earlier.find((candidate) => candidate.keys.includes(key) && isRepository(candidate.repoPath))
      if (same !== undefined) return same.repoPath
    }
    return yield* new RepositoryUnknown({ ticketId: ticket.id, project: ticket.project ?? ticket.team })
  })
