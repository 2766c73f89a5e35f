import { Box } from "ink"
import { Text } from "./Text.js"
import { repositoryRows } from "../repositoryRows.js"
import type { Theme } from "../theme.js"
import type { RepositoryChoice } from "../../programs/view/viewModel.js"

export interface RepositoryPickerProps {
  readonly choice: RepositoryChoice
  readonly typed: string
  readonly selected: number
  readonly height: number
  readonly theme: Theme
}

/** Asked when a ticket has no repository: the git repositories under `workspace`, or a typed path with completion. */
export const RepositoryPicker = ({ choice, typed, selected, height, theme }: RepositoryPickerProps) => {
  const rows = repositoryRows(choice, typed)
  const start = Math.max(0, Math.min(selected - Math.floor(height / 2), rows.length - height))
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.border.focused} paddingX={1}>
      <Text bold>Which repository is {choice.ticketKey} in?</Text>
      <Text wrap="wrap" color={theme.text.secondary}>
        No repository is known for {choice.project === null ? "this ticket" : `project ${choice.project}`}; the one chosen is remembered for
        {choice.project === null ? " it" : " its other tickets"}.
      </Text>
      <Text>
        path: {typed}
        <Text inverse> </Text>
      </Text>
      {rows.length === 0 ? (
        <Text color={theme.text.secondary}>{typed.trim() === "" ? "No git repository under the workspace: type a path." : "Enter uses the typed path."}</Text>
      ) : (
        rows.slice(start, start + height).map((path, i) => (
          <Text key={path} wrap="truncate-middle" inverse={start + i === selected}>
            {"  "}
            {path}
          </Text>
        ))
      )}
      <Text color={theme.text.secondary}>Enter choose · Tab complete · ↑/↓ move · Esc cancel</Text>
    </Box>
  )
}
