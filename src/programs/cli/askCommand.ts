import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Layer } from "effect"
import { terminalLine, terminalText } from "../../domain/terminalText.js"
import { LazyTicketingLive } from "./lazyLayers.js"
import { askQuestion, resolveScope } from "../supervisor/ask.js"
import { StoreFromFlags } from "./globals.js"
import { terminalJson } from "../../domain/terminalText.js"

// @effect/ai* are heavy: loaded only when `ask` runs, never by the other commands.
const SupervisorForAsk = Layer.unwrapEffect(
  Effect.promise(() => import("../../layers/supervisor/SupervisorLive.js")).pipe(Effect.map((module) => module.SupervisorLive))
).pipe(Layer.provide(LazyTicketingLive))

// Streaming text goes out as it arrives, without the newline Console.log would add; a model's text
// is made safe chunk by chunk (a sequence cut between chunks loses its ESC and prints as text).
const writeOut = (text: string) => Effect.sync(() => void process.stdout.write(terminalText(text)))

export const askCommand = Command.make(
  "ask",
  {
    question: Args.text({ name: "QUESTION" }).pipe(Args.withDescription("what to ask the supervisor")),
    session: Options.text("session").pipe(Options.withDescription("scope: one session id"), Options.optional),
    ticket: Options.text("ticket").pipe(Options.withDescription("scope: one ticket (id or key such as ENG-42)"), Options.optional),
    json: Options.boolean("json").pipe(Options.withDescription("print the answer, scope and tool calls as JSON at the end"))
  },
  ({ question, session, ticket, json }) =>
    Effect.gen(function* () {
      const scope = yield* resolveScope(session, ticket)
      const result = yield* askQuestion(question, scope, json ? () => Effect.void : writeOut)
      if (json) return yield* Console.log(terminalJson(result))
      yield* writeOut(result.answer.endsWith("\n") ? "" : "\n")
      for (const call of result.toolCalls) {
        yield* Console.error(terminalLine(`[${call.failed ? "tool failed" : "tool"}] ${call.tool} ${call.arguments} → ${call.result}`))
      }
    }).pipe(Effect.provide(SupervisorForAsk))
).pipe(
  Command.withDescription("ask the supervisor one question about the work in flight; the answer streams to stdout"),
  Command.provide(StoreFromFlags)
)
