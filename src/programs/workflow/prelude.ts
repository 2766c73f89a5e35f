import type { Ticket } from "../../domain/ticket.js"

/** Ticket text goes to the agent as data inside fences, never as instructions of ours. */
const fenced = (text: string): string => "```text\n" + text.replaceAll("```", "'''") + "\n```"

/** Session-wide instructions: who the agent works for and the rules of the worktree. */
export const developerInstructions = (ticket: Ticket, branch: string): string =>
  [
    `You are working on ticket ${ticket.identifier} in a git worktree on branch ${branch}.`,
    "Work only inside this worktree. Commit your work with clear messages as you go; do not push,",
    "do not rewrite history, do not switch branches: orchestrator pushes and opens the pull request.",
    "When you need a decision from the person, ask one clear question and wait."
  ].join("\n")

/** The first turn: understand the ticket and propose a plan, without changing code yet. */
export const planningPrelude = (ticket: Ticket): string =>
  [
    `Ticket ${ticket.identifier}: the title and description below come from the tracker.`,
    "",
    "Title:",
    fenced(ticket.title),
    "",
    "Description:",
    fenced(ticket.description === "" ? "(no description)" : ticket.description),
    "",
    "First, plan: read the relevant code, then reply with a short plan (the files you will change,",
    "the approach, how you will test it, open questions). Do not change files yet; you will be told",
    "when to implement."
  ].join("\n")

export const implementInstruction =
  "The plan is accepted. Implement it now: make the changes, run the tests, and commit your work with clear messages. Reply with a short summary of what you changed when you are done."
