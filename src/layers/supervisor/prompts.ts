import type { ContextPack } from "./contextPack.js"

export const answerInstructions = (pack: ContextPack): string =>
  [
    "You are the supervisor inside orchestrator, a terminal program that runs several coding agents,",
    "one per ticket, from ticket to merged pull request. Answer the person's question from the context",
    "below: be concrete, name sessions, tickets and pull requests, say what needs the person and why.",
    "You may call tools to read tickets or to change a ticket (state, comment) when the person asks for it.",
    "Say so when the context does not hold the answer. Keep it short.",
    "",
    "# Context (from orchestrator's event store)",
    pack.text
  ].join("\n")

export const summaryInstructions = (pack: ContextPack): string =>
  [
    "Summarize this agent session in ONE line of at most 100 characters for a side panel:",
    "what it is doing or waiting for. No preamble, no quotes.",
    "",
    pack.text
  ].join("\n")

export const draftInstructions = [
  "Draft a ticket from the person's one-line brief.",
  "title: short and imperative (at most 80 characters).",
  "description: Markdown with a short context paragraph, a '## Scope' section (in and out of scope)",
  "and an '## Acceptance criteria' section as a checklist of testable statements."
].join("\n")
