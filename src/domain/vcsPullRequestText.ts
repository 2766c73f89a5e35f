import { terminalLine } from "./terminalText.js"
import type { Ticket } from "./ticket.js"
import type { ReviewComment } from "./vcsPullRequest.js"

/** Texts orchestrator writes to GitHub and to the agent about a pull request. Pure and bounded. */

const MAX_TITLE = 200
const MAX_SECTION = 4000

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 3)}...` : text)

/** Control characters and escape sequences never reach a title; it is one line. */
export const pullRequestTitle = (ticket: Ticket): string => clip(terminalLine(`${ticket.identifier}: ${ticket.title}`).trim(), MAX_TITLE)

export const pullRequestBody = (ticket: Ticket, agentSummary: string): string =>
  [
    clip(agentSummary.trim() === "" ? "(no summary from the agent)" : agentSummary.trim(), MAX_SECTION),
    "",
    "---",
    ticket.url === null ? `Ticket: ${ticket.identifier}` : `Ticket: [${ticket.identifier}](${ticket.url})`,
    // A GitHub issue (`owner/repo#N`): the closing keyword links the pull request and closes the issue at the merge.
    ...(ticket.provider === "github" ? ["", `Fixes ${ticket.identifier}`] : []),
    "",
    "<details><summary>Ticket description</summary>",
    "",
    clip(ticket.description.trim() === "" ? "(none)" : ticket.description.trim(), MAX_SECTION),
    "",
    "</details>",
    "",
    "_Opened by orchestrator._"
  ].join("\n")

export const reviewCommentsText = (number: number, url: string, comments: ReadonlyArray<ReviewComment>, round: number): string =>
  [
    `Changes were requested on pull request #${number} (${url}), review round ${round}.`,
    comments.length === 0 ? "The reviewer left no line comments; read the review on GitHub." : "Review comments:",
    ...comments
      .slice(0, 50)
      .map((comment) => `- ${comment.path}${comment.line === null ? "" : `:${comment.line}`} (${comment.user.login}): ${clip(comment.body, 1000)}`),
    "Address each comment, commit and push."
  ].join("\n")
