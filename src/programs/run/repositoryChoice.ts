import { type Dirent, existsSync, readdirSync } from "node:fs"
import { homedir } from "node:os"
import * as NodePath from "node:path"
import type { RepositoryUnknown } from "../../domain/workflowErrors.js"
import type { RepositoryChoice, ViewModel } from "../view/viewModel.js"

/** Bounds: a workspace of thousands of folders costs one bounded read, not a crawl. */
const MAX_CANDIDATES = 50
const MAX_COMPLETIONS = 30
const MAX_ENTRIES = 2000

const isRepository = (path: string): boolean => existsSync(NodePath.join(path, ".git"))

const directories = (path: string): ReadonlyArray<Dirent> => {
  try {
    return readdirSync(path, { withFileTypes: true })
      .slice(0, MAX_ENTRIES)
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
      .sort((a, b) => a.name.localeCompare(b.name))
  } catch {
    return []
  }
}

/** Git repositories directly under `workspace` or one folder deeper (`~/code/org/repo`). */
export const repositoryCandidates = (workspace: string): ReadonlyArray<string> => {
  const found: Array<string> = []
  for (const entry of directories(workspace)) {
    const path = NodePath.join(workspace, entry.name)
    if (isRepository(path)) found.push(path)
    else for (const inner of directories(path)) if (isRepository(NodePath.join(path, inner.name))) found.push(NodePath.join(path, inner.name))
    if (found.length >= MAX_CANDIDATES) break
  }
  return found.slice(0, MAX_CANDIDATES)
}

const expandHome = (typed: string): string => (typed === "~" || typed.startsWith("~/") ? NodePath.join(homedir(), typed.slice(1)) : typed)

/** Directories whose path starts with what was typed: `~/co` → `~/code/`; a path ending in `/` lists its folders. */
export const pathCompletions = (typed: string): ReadonlyArray<string> => {
  if (typed === "") return []
  const expanded = expandHome(typed)
  const folder = expanded.endsWith("/") ? expanded : NodePath.dirname(expanded)
  const start = expanded.endsWith("/") ? "" : NodePath.basename(expanded)
  const shownFolder = typed.endsWith("/") ? typed : typed.slice(0, typed.length - start.length)
  return directories(NodePath.resolve(folder))
    .filter((entry) => entry.name.startsWith(start))
    .slice(0, MAX_COMPLETIONS)
    .map((entry) => `${shownFolder}${entry.name}/`)
}

/** The question the screen asks when a ticket has no repository. */
export const repositoryChoiceOf = (error: RepositoryUnknown, ticketKey: string, workspace: string | null): RepositoryChoice => ({
  ticketId: error.ticketId,
  ticketKey,
  project: error.project,
  candidates: workspace === null ? [] : repositoryCandidates(workspace),
  completions: { typed: "", paths: [] }
})

/** The view model with the completions of `typed` in its open repository choice. */
export const withCompletions = (vm: ViewModel, typed: string): ViewModel =>
  vm.repositoryChoice === undefined || vm.repositoryChoice === null
    ? vm
    : { ...vm, repositoryChoice: { ...vm.repositoryChoice, completions: { typed, paths: pathCompletions(typed) } } }

/** A path the person chose, with `~` expanded (the workflow resolves and checks it). */
export const chosenPath = (typed: string): string => expandHome(typed.trim())
