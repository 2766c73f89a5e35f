import { Effect, Option } from "effect"
import { TicketingError } from "../../domain/errors.js"
import { TicketId } from "../../domain/ids.js"
import { Ticket, type TicketProvider, TicketState, type TicketStateType } from "../../domain/ticket.js"
import type { WorkflowState } from "../../domain/workflow.js"

export const ticketId = (provider: TicketProvider, raw: string | number): TicketId => TicketId.make(`${provider}:${raw}`)

/** The provider's own id inside a namespaced ticket id; another provider's id is refused. */
export const rawId = (provider: TicketProvider, id: TicketId, operation: string): Effect.Effect<string, TicketingError> => {
  const prefix = `${provider}:`
  return id.startsWith(prefix)
    ? Effect.succeed(id.slice(prefix.length))
    : Effect.fail(new TicketingError({ provider, operation, detail: `${id} is not a ${provider} ticket` }))
}

/** The tracker state name that `workflow_state_map` names for a workflow state. */
export const mappedStateName = (
  provider: TicketProvider,
  map: { readonly [K in WorkflowState]?: string | undefined },
  state: WorkflowState
): Effect.Effect<string, TicketingError> =>
  Option.match(Option.fromNullable(map[state]), {
    onNone: () =>
      Effect.fail(
        new TicketingError({ provider, operation: "update state", detail: `tracker.workflow_state_map has no entry for ${state}` })
      ),
    onSome: Effect.succeed
  })

/** Finds a tracker state by name, ignoring case; the error lists what the tracker does have. */
export const findStateByName = <S extends { readonly name: string }>(
  provider: TicketProvider,
  states: ReadonlyArray<S>,
  name: string,
  where: string
): Effect.Effect<S, TicketingError> => {
  const wanted = name.toLowerCase()
  const found = states.find((state) => state.name.toLowerCase() === wanted)
  return found !== undefined
    ? Effect.succeed(found)
    : Effect.fail(
        new TicketingError({
          provider,
          operation: "update state",
          detail: `${where} has no state named "${name}" (it has: ${states.map((s) => s.name).join(", ") || "none"})`
        })
      )
}

/** A state category for a workflow state, for trackers (local) that have no states of their own. */
export const stateTypeFor = (state: WorkflowState): TicketStateType =>
  state === "New" ? "unstarted" : state === "Done" ? "completed" : state === "Abandoned" ? "canceled" : "started"

/** A ticket just created on a tracker that keeps no fields of its own beyond what was given. */
export const freshTicket = (
  provider: "local" | "test",
  n: number,
  fresh: { readonly title: string; readonly description: string; readonly project: string | null },
  now: number
): Ticket =>
  new Ticket({
    id: ticketId(provider, n),
    provider,
    identifier: `${provider.toUpperCase()}-${n}`,
    title: fresh.title,
    description: fresh.description,
    url: null,
    priority: 0,
    state: new TicketState({ name: "Todo", type: "unstarted" }),
    project: fresh.project,
    team: null,
    labels: [],
    assignee: null,
    updatedAt: now
  })
