import * as LanguageModel from "@effect/ai/LanguageModel"
import type * as Response from "@effect/ai/Response"
import { Effect, Layer, Ref, Stream } from "effect"
import { Supervisor } from "../../services/Supervisor.js"
import { defaultSupervisorOptions, makeSupervisor, type SupervisorOptions } from "./makeSupervisor.js"

/** One scripted model turn: an answer, or one tool call (the next turn then sees its result). */
export type ScriptedTurn =
  | { readonly text: string }
  | { readonly tool: string; readonly params: Readonly<Record<string, unknown>> }

const finish = (reason: "stop" | "tool-calls") => ({
  type: "finish" as const,
  reason,
  usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }
})
const turnParts = (turn: ScriptedTurn, n: number): Array<Response.StreamPartEncoded> =>
  "text" in turn
    ? [
        { type: "text-start", id: `t${n}` },
        ...turn.text.split(/(?<= )/).map((delta): Response.StreamPartEncoded => ({ type: "text-delta", id: `t${n}`, delta })),
        { type: "text-end", id: `t${n}` },
        finish("stop")
      ]
    : [{ type: "tool-call", id: `call_${n}`, name: turn.tool, params: turn.params }, finish("tool-calls")]

const textParts = (turn: ScriptedTurn, n: number): Array<Response.PartEncoded> =>
  "text" in turn
    ? [{ type: "text", text: turn.text }, finish("stop")]
    : [{ type: "tool-call", id: `call_${n}`, name: turn.tool, params: turn.params }, finish("tool-calls")]

/**
 * A LanguageModel that plays `turns` in order, one per model call; past the end it answers "(no
 * more scripted turns)". `calls` counts the model calls made.
 */
export const makeScriptedModel = (turns: ReadonlyArray<ScriptedTurn>) =>
  Effect.gen(function* () {
    const next = yield* Ref.make(0)
    const take = Ref.getAndUpdate(next, (n) => n + 1).pipe(
      Effect.map((n) => ({ n, turn: turns[n] ?? { text: "(no more scripted turns)" } }))
    )
    const model = yield* LanguageModel.make({
      generateText: () => Effect.map(take, ({ n, turn }) => textParts(turn, n)),
      streamText: () => Stream.unwrap(Effect.map(take, ({ n, turn }) => Stream.fromIterable(turnParts(turn, n))))
    })
    return { model, calls: Ref.get(next) }
  })

/** The real Supervisor (context packs, tools, lifecycle events) on a scripted model. */
export const SupervisorTest = (turns: ReadonlyArray<ScriptedTurn>, options: SupervisorOptions = defaultSupervisorOptions) =>
  Layer.effect(Supervisor, makeSupervisor(options)).pipe(
    Layer.provide(Layer.effect(LanguageModel.LanguageModel, Effect.map(makeScriptedModel(turns), (made) => made.model)))
  )
