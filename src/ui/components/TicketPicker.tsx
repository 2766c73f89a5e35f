import { Box } from "ink"
import { Text } from "./Text.js"
import { pickerRows } from "../pickerRows.js"
import type { Theme } from "../theme.js"
import type { TicketEntry } from "../../programs/view/viewModel.js"

export interface TicketPickerProps {
  readonly tickets: ReadonlyArray<TicketEntry>
  readonly states: ReadonlyArray<string>
  readonly filter: string
  readonly filtering: boolean
  /** Index among the visible tickets (project headers excluded). */
  readonly selected: number
  /** Set while a new local ticket's title is being typed. */
  readonly newTitle: string | null
  readonly height: number
  readonly theme: Theme
}

/** Tickets grouped by project, priority states first; the selected one starts with Enter. */
export const TicketPicker = ({ tickets, states, filter, filtering, selected, newTitle, height, theme }: TicketPickerProps) => {
  const rows = pickerRows(tickets, states, filter)
  let index = -1
  const rendered = rows.map((row) => {
    if (row._tag === "Project") {
      return (
        <Text key={`p:${row.project}`} bold color={theme.text.accent}>
          {row.project}
        </Text>
      )
    }
    index += 1
    const t = row.ticket
    return (
      <Text key={t.id} wrap="truncate" inverse={index === selected}>
        {"  "}
        {t.identifier} [{t.stateName}] {t.title}
        {t.started ? " (started)" : ""}
      </Text>
    )
  })
  const ticketRows = rows.flatMap((row, i) => (row._tag === "Ticket" ? [i] : []))
  const selectedRow = ticketRows[selected] ?? 0
  const start = Math.max(0, Math.min(selectedRow - Math.floor(height / 2), rows.length - height))
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.border.focused} paddingX={1}>
      <Text bold>Tickets</Text>
      {newTitle !== null ? (
        <Text>
          New local ticket: {newTitle}
          <Text inverse> </Text>
          <Text color={theme.text.secondary}> (Enter create · Esc cancel)</Text>
        </Text>
      ) : (
        <Text color={filtering ? theme.text.primary : theme.text.secondary}>
          filter: {filter}
          {filtering ? <Text inverse> </Text> : null}
        </Text>
      )}
      {tickets.length === 0 ? (
        <Box flexDirection="column">
          <Text color={theme.status.warning}>No tickets yet.</Text>
          <Text>Run `orchestrator sync tickets` to fetch them from your tracker,</Text>
          <Text>or press n here (or `orchestrator tickets add "title"`) to add a local one.</Text>
        </Box>
      ) : rows.length === 0 ? (
        <Text color={theme.text.secondary}>No ticket matches “{filter}”.</Text>
      ) : (
        rendered.slice(start, start + height)
      )}
      <Text color={theme.text.secondary}>Enter start · n new · / filter · j/k move · Esc close</Text>
    </Box>
  )
}
