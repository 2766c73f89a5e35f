import type { TicketEntry } from "../programs/view/viewModel.js"

export type PickerRow =
  | { readonly _tag: "Project"; readonly project: string }
  | { readonly _tag: "Ticket"; readonly ticket: TicketEntry }

const rank = (states: ReadonlyArray<string>, name: string): number => {
  const i = states.findIndex((state) => state.toLowerCase() === name.toLowerCase())
  return i === -1 ? states.length : i
}

/** Tickets matching the filter, grouped by project, each group ordered by the priority states. */
export const pickerRows = (tickets: ReadonlyArray<TicketEntry>, states: ReadonlyArray<string>, filter: string): ReadonlyArray<PickerRow> => {
  const needle = filter.trim().toLowerCase()
  const matching = tickets.filter(
    (t) => needle === "" || `${t.identifier} ${t.title} ${t.project} ${t.stateName}`.toLowerCase().includes(needle)
  )
  const projects = [...new Set(matching.map((t) => t.project))].sort((a, b) => a.localeCompare(b))
  return projects.flatMap((project) => [
    { _tag: "Project" as const, project },
    ...matching
      .filter((t) => t.project === project)
      .sort((a, b) => rank(states, a.stateName) - rank(states, b.stateName) || a.identifier.localeCompare(b.identifier, undefined, { numeric: true }))
      .map((ticket) => ({ _tag: "Ticket" as const, ticket }))
  ])
}

export const pickerTickets = (rows: ReadonlyArray<PickerRow>): ReadonlyArray<TicketEntry> =>
  rows.flatMap((row) => (row._tag === "Ticket" ? [row.ticket] : []))
