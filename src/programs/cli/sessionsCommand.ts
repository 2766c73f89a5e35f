import { Args, Command, Options } from "@effect/cli"
import { Clock, Console, Effect, Option, Schema } from "effect"
import { NotFound } from "../../domain/errors.js"
import { SessionId } from "../../domain/ids.js"
import { SessionState } from "../../domain/session.js"
import { EventStore } from "../../services/EventStore.js"
import { ReadStoreFromFlags } from "./globals.js"
import { sessionJson, sessionsJsonText, sessionsTableText } from "./sessionsOutput.js"
import { ago } from "./table.js"
import { describeStoredEvent, transcriptTail } from "./transcript.js"
import { terminalJson, terminalText } from "../../domain/terminalText.js"

const json = Options.boolean("json").pipe(Options.withDescription("print JSON instead of a table"))

const list = Command.make(
  "list",
  {
    json,
    state: Options.choice("state", SessionState.literals).pipe(Options.withDescription("only sessions in this state"), Options.optional)
  },
  ({ json, state }) =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const rows = yield* store.sessions(Option.isSome(state) ? { state: state.value } : {})
      if (json) return yield* Console.log(sessionsJsonText(rows))
      yield* Console.log(sessionsTableText(rows, yield* Clock.currentTimeMillis))
    })
).pipe(Command.withDescription("table of sessions: id, ticket, workflow state, harness, PR, last activity"))

const show = Command.make(
  "show",
  {
    json,
    id: Args.text({ name: "ID" }).pipe(Args.withDescription("session id")),
    events: Options.integer("events").pipe(Options.withDescription("how many recent events to list"), Options.withDefault(20))
  },
  ({ json, id, events }) =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const sessionId = yield* Schema.decode(SessionId)(id).pipe(Effect.mapError(() => new NotFound({ what: "session", id })))
      const row = yield* Effect.flatMap(store.session(sessionId), Option.match({
        onNone: () => Effect.fail(new NotFound({ what: "session", id })),
        onSome: Effect.succeed
      }))
      const recent = yield* store.events({ sessionId, newestFirst: true, limit: Math.max(1, events) })
      const tail = yield* Effect.map(store.events({ sessionId, newestFirst: true, limit: 2000 }), (all) => transcriptTail([...all].reverse(), 40))
      const pr = row.workItemId === null ? [] : yield* store.events({ workItemId: row.workItemId, types: ["PullRequestObserved"], newestFirst: true, limit: 1 })
      if (json) {
        return yield* Console.log(
          terminalJson({ session: sessionJson(row), transcript: tail, events: [...recent].reverse().map(describeStoredEvent), pullRequest: pr[0]?.event ?? null })
        )
      }
      const now = yield* Clock.currentTimeMillis
      const lines = [
        `session   ${row.id} (${row.harness}, ${row.state})`,
        `ticket    ${row.ticketIdentifier ?? row.ticketId ?? "-"}  workflow ${row.workflowState ?? "-"}`,
        `worktree  ${row.worktreePath}`,
        `PR        ${row.pullRequestUrl ?? "-"}${pr[0]?.event._tag === "PullRequestObserved" ? `  (${pr[0].event.state}, checks ${pr[0].event.checks}, review ${pr[0].event.reviewDecision || "none"})` : ""}`,
        `activity  ${ago(row.lastActivityAt, now)}, ${row.eventCount} events`,
        "",
        "transcript (tail):",
        ...(tail.length === 0 ? ["  (nothing yet)"] : tail.map((line) => `  ${line}`)),
        "",
        "recent events:",
        ...[...recent].reverse().map((stored) => `  #${stored.seq} ${new Date(stored.at).toISOString()} ${describeStoredEvent(stored)}`)
      ]
      yield* Console.log(terminalText(lines.join("\n")))
    })
).pipe(Command.withDescription("one session: transcript tail, events, PR/CI state"))

export const sessionsCommand = Command.make("sessions").pipe(
  Command.withDescription("list and inspect agent sessions"),
  Command.withSubcommands([list, show]),
  Command.provide(ReadStoreFromFlags)
)
