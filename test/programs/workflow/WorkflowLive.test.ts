import { pipelineTick } from "../prPipeline/pipelineFixture.js"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Either, Option } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { now } from "../../../src/layers/harness/Scripted.js"
import { defaultStoreWriterOptions, startStoreWriter } from "../../../src/programs/storeWriter/storeWriter.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { Ticketing } from "../../../src/services/Ticketing.js"
import { Workflow } from "../../../src/services/Workflow.js"
import { fakeGh, setStage } from "../../fakes/gh/ghState.js"
import { git, gitFixture } from "../../layers/vcs/gitFixture.js"
import { workflowLayer } from "./workflowFixture.js"

const planTurn = [
  now({ _tag: "TurnStarted", turnId: "t1" }),
  now({ _tag: "Message", itemId: "m1", text: "Plan: add greet.ts and a test." }),
  now({ _tag: "TurnCompleted", turnId: "t1", status: "completed", usage: { input: 10, output: 5, total: 15 }, error: null })
]
const workTurn = (n: number) => [
  now({ _tag: "TurnStarted", turnId: `t${n + 1}` }),
  now({ _tag: "Message", itemId: `m${n + 1}`, text: "Added greet.ts; tests pass." }),
  now({ _tag: "TurnCompleted", turnId: `t${n + 1}`, status: "completed", usage: { input: 20, output: 9, total: 44 }, error: null })
]

const noAgent = { instruct: () => Effect.succeed(Option.none()) }

describe("WorkflowLive", () => {
  it.live(
    "carries a local ticket from start to a merged pull request, and cleans up",
    () =>
      Effect.gen(function* () {
        const fixture = yield* gitFixture
        const gh = yield* fakeGh()
        const program = Effect.gen(function* () {
          const writer = yield* startStoreWriter(defaultStoreWriterOptions(10))
          const store = yield* EventStore
          const tickets = yield* Ticketing
          const workflow = yield* Workflow
          const ticket = yield* tickets.create({ title: "Greet `$(whoami)`; ../../etc 🚀", description: "Say hello.", project: "demo" })

          const started = yield* workflow.startTicket(ticket.id)
          const again = yield* workflow.startTicket(ticket.id)
          expect(again).toEqual(started)
          yield* writer.flush
          const tree = Option.getOrThrow(yield* store.worktree(started.workItemId))
          expect(tree.path.startsWith(fixture.worktreesRoot)).toBe(true)
          expect(tree.branch).toMatch(/^orch\/LOCAL-1-greet-whoami-etc/)
          expect(Option.getOrThrow(yield* store.workItem(started.workItemId)).state).toBe("Planning")
          expect(Option.getOrThrow(yield* store.ticket(ticket.id)).state.name).toBe("In Progress")

          // Nothing to put in a pull request yet: the move is refused and nothing changes.
          yield* workflow.advance(started.workItemId)
          expect(Option.getOrThrow(yield* store.workItem(started.workItemId)).state).toBe("Implementing")
          const empty = yield* Effect.either(workflow.advance(started.workItemId))
          expect(Either.isLeft(empty) && empty.left.message).toContain("no changes")

          // The agent's work: one commit and one file it forgot to commit.
          fs.writeFileSync(path.join(tree.path, "greet.ts"), "export const greet = () => 'hello'\n")
          git(tree.path, "add", "greet.ts")
          git(tree.path, "-c", "user.name=Agent", "-c", "user.email=a@example.com", "commit", "-q", "-m", "greet")
          fs.writeFileSync(path.join(tree.path, "greet.test.ts"), "// test\n")

          yield* workflow.advance(started.workItemId)
          yield* workflow.advance(started.workItemId) // PRDrafted → ReadyForReview
          expect(gh.read().pulls).toHaveLength(1)
          const pr = gh.pull(1)
          expect(pr.isDraft).toBe(false)
          expect(git(fixture.origin, "log", "--format=%s", tree.branch)).toContain("work by the agent")
          const ticketNow = Option.getOrThrow(yield* store.ticket(ticket.id))
          expect(ticketNow.state.name).toBe("In Review")
          // The workflow's own records (with the work item), not the local tracker's storage of them.
          const tracker = (yield* store.events({ ticketId: ticket.id, types: ["TrackerUpdated"] })).map((e) =>
            e.event._tag === "TrackerUpdated" && e.event.workItemId !== null ? e.event.action : ""
          )
          expect(tracker.filter((a) => a === "link")).toHaveLength(1)
          expect(tracker.filter((a) => a === "comment")).toHaveLength(1)

          setStage(gh, 1, "checksPassing")
          setStage(gh, 1, "approved")
          yield* pipelineTick(noAgent)
          expect(Option.getOrThrow(yield* store.workItem(started.workItemId)).state).toBe("PendingMerge")
          yield* pipelineTick(noAgent)

          yield* workflow.merge(started.workItemId)
          yield* writer.flush
          expect(Option.getOrThrow(yield* store.workItem(started.workItemId)).state).toBe("Done")
          expect(gh.pull(1).state).toBe("MERGED")
          expect(fs.existsSync(tree.path)).toBe(false)
          expect(Option.getOrThrow(yield* store.ticket(ticket.id)).state.name).toBe("Done")
          // Starting it again after Done makes a new work item rather than touching the finished one.
          expect(gh.calls("pr", "create")).toHaveLength(1)
        })
        yield* program.pipe(
            Effect.scoped,
            Effect.provide(
              workflowLayer(
                fixture,
                gh,
                { script: () => planTurn, onInput: (_spec, _text, count) => workTurn(count) },
                { git: { branch_prefix: "orch", allow_destructive_automation: true } }
              )
            )
          )
      }).pipe(Effect.scoped, Effect.timeout(Duration.seconds(60))),
    90_000
  )

  it.live("asks for a repository when the ticket's project maps to none, then remembers the answer", () =>
    Effect.gen(function* () {
      const fixture = yield* gitFixture
      const gh = yield* fakeGh()
      yield* Effect.gen(function* () {
          yield* startStoreWriter(defaultStoreWriterOptions(10))
          const tickets = yield* Ticketing
          const workflow = yield* Workflow
          const first = yield* tickets.create({ title: "One", description: "", project: "elsewhere" })
          const second = yield* tickets.create({ title: "Two", description: "", project: "elsewhere" })
          const refused = yield* Effect.flip(workflow.startTicket(first.id))
          expect(refused._tag).toBe("RepositoryUnknown")
          const notRepo = yield* Effect.flip(workflow.startTicket(first.id, { repoPath: fixture.dir }))
          expect(notRepo.message).toContain("not a git repository")
          yield* workflow.startTicket(first.id, { repoPath: fixture.repo })
          const remembered = yield* workflow.startTicket(second.id)
          const store = yield* EventStore
          expect(Option.getOrThrow(yield* store.workItem(remembered.workItemId)).repoPath).toBe(fixture.repo)
        }).pipe(Effect.scoped, Effect.provide(workflowLayer(fixture, gh, { script: () => planTurn })))
    }).pipe(Effect.scoped)
  )
})
