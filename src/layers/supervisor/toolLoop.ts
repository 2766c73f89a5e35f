import type * as AiError from "@effect/ai/AiError"
import type * as LanguageModel from "@effect/ai/LanguageModel"
import * as Prompt from "@effect/ai/Prompt"
import type * as Response from "@effect/ai/Response"
import type * as Toolkit from "@effect/ai/Toolkit"
import { Effect, Stream } from "effect"
import type { SupervisorToolkit } from "./tools.js"

type Tools = Toolkit.Tools<typeof SupervisorToolkit>
export type AnswerPart = Response.StreamPart<Tools>

/**
 * Streams the model's answer; when a round ends with tool results, sends them back and streams the
 * next round. At most `maxRounds` rounds: the last one may not call tools, so it has to answer.
 */
export const streamWithTools = (
  model: LanguageModel.Service,
  prompt: Prompt.Prompt,
  toolkit: Toolkit.WithHandler<Tools>,
  maxRounds: number
): Stream.Stream<AnswerPart, AiError.AiError> => {
  const round = (current: Prompt.Prompt, n: number): Stream.Stream<AnswerPart, AiError.AiError> =>
    Stream.suspend(() => {
      const seen: Array<AnswerPart> = []
      const last = n >= maxRounds
      const parts = model
        .streamText({ prompt: current, toolkit, toolChoice: last ? "none" : "auto" })
        .pipe(Stream.tap((part) => Effect.sync(() => seen.push(part))))
      const next = Stream.suspend(() =>
        !last && seen.some((part) => part.type === "tool-result")
          ? round(Prompt.merge(current, Prompt.fromResponseParts(seen)), n + 1)
          : Stream.empty
      )
      return Stream.concat(parts, next)
    })
  return round(prompt, 1)
}
