import type { RepositoryChoice } from "../programs/view/viewModel.js"

/**
 * The paths the repository chooser lists for what was typed: every repository found under
 * `workspace` while nothing is typed; then those containing the text, followed by the directories
 * completing it.
 */
export const repositoryRows = (choice: RepositoryChoice, typed: string): ReadonlyArray<string> => {
  const text = typed.trim()
  if (text === "") return choice.candidates
  const completions = choice.completions.typed === typed ? choice.completions.paths : []
  return [...new Set([...choice.candidates.filter((path) => path.includes(text)), ...completions])]
}
