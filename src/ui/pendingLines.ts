import { wrapLine } from "./transcriptLines.js"
import type { PendingRequest } from "../programs/view/viewModel.js"

export type PendingTone = "title" | "body" | "secondary" | "accent"

export interface PendingLine {
  readonly text: string
  readonly tone: PendingTone
}

const wrapped = (text: string, width: number, tone: PendingTone, hanging = ""): ReadonlyArray<PendingLine> =>
  text.split("\n").flatMap((line) => wrapLine(line, width, hanging).map((t) => ({ text: t, tone })))

/** The open question or approval as screen lines of `width` columns: readable whole before answering. */
export const pendingLines = (request: PendingRequest, width: number): ReadonlyArray<PendingLine> => {
  if (request._tag === "Approval") {
    return [
      { text: `Approval needed (${request.kind})`, tone: "title" },
      ...wrapped(request.subject, width, "body"),
      ...(request.reason !== null ? wrapped(request.reason, width, "secondary") : []),
      { text: "a approve · d decline", tone: "accent" }
    ]
  }
  const question = request.questions[0]
  const more = request.questions.length - 1
  return [
    { text: "The agent asks", tone: "title" },
    ...(question === undefined ? [] : wrapped(question.question, width, "body")),
    ...(question?.options ?? []).flatMap((option, i) => wrapped(`${i + 1}. ${option}`, width, "accent", "   ")),
    ...(question !== undefined && question.options.length === 0 ? [{ text: "i: type an answer", tone: "secondary" as const }] : []),
    ...(more > 0 ? [{ text: `(${more} more question${more === 1 ? "" : "s"} after this one)`, tone: "secondary" as const }] : [])
  ]
}

/** Rows the panel takes with its border, at most `max` (the rest of its lines are cut). */
export const pendingHeight = (lines: ReadonlyArray<PendingLine>, max: number): number => Math.min(lines.length + 2, max)
