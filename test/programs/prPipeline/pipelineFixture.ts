import { NodeContext } from "@effect/platform-node"
import { Effect, Layer, Option, Ref } from "effect"
import { LocalLive } from "../../../src/layers/ticketing/Local.js"
import * as fs from "node:fs"
import * as path from "node:path"
import { AgentInstructed, SessionSpawned, TicketSynced, WorkflowTransition, WorkItemCreated, WorktreeCreated } from "../../../src/domain/events.js"
import { SessionId, TicketId, WorkItemId } from "../../../src/domain/ids.js"
import { makeTicket } from "../../support/sampleEvents.js"
import type { WorkflowState } from "../../../src/domain/workflow.js"
import { configFromValue } from "../../../src/layers/config/ConfigLive.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { GhCliLive } from "../../../src/layers/repoHost/GhCli.js"
import { GitCliLive } from "../../../src/layers/vcs/GitCli.js"
import type { AgentChannel } from "../../../src/programs/prPipeline/pipeline.js"
import { openDraftPullRequest } from "../../../src/programs/prPipeline/open.js"
import { AppConfig } from "../../../src/services/AppConfig.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { Vcs } from "../../../src/services/Vcs.js"
import { type FakeGh, fakeGh, type FakeGhState } from "../../fakes/gh/ghState.js"
import { type GitFixture, gitFixture, type GitFlagsInput } from "../../layers/vcs/gitFixture.js"
import { makeItemFailures } from "../../../src/programs/prPipeline/itemFailures.js"
import { prPipelineTick } from "../../../src/programs/prPipeline/pipeline.js"

export interface PipelineSettings {
  readonly git?: GitFlagsInput
  readonly autoMerge?: boolean
  readonly maxCiFixAttempts?: number
}

/** Real git, the scripted gh, an in-memory SQLite store and one AppConfig for all of them. */
export const pipelineLayer = (fixture: GitFixture, gh: FakeGh, settings: PipelineSettings = {}) => {
  const config = Layer.effect(
    AppConfig,
    Effect.orDie(
      configFromValue(
        {
          worktrees_root: fixture.worktreesRoot,
          git: { branch_prefix: "orch", ...settings.git },
          github: { binary: gh.binary, auto_merge: settings.autoMerge ?? false },
          runtime: { max_ci_fix_attempts: settings.maxCiFixAttempts ?? 3, pr_pipeline_poll_interval_secs: 60 }
        },
        fixture.dir
      )
    )
  )
  // Local tickets: the workflow writer mirrors moves to a tracker, here the store's own tickets.
  return Layer.mergeAll(GitCliLive, GhCliLive, LocalLive).pipe(
    Layer.provideMerge(EventStoreTest),
    Layer.provideMerge(config),
    Layer.provide(NodeContext.layer)
  )
}

export const workItemId = WorkItemId.make("wi-1")
export const sessionId = SessionId.make("ses-1")

export const ticket = makeTicket({
  id: TicketId.make("local:1"),
  identifier: "ENG-42",
  title: "Greet the world",
  description: "Say hello to everyone.",
  url: "https://tracker.example/ENG-42"
})

/** A work item in Implementing with its worktree and one commit of work, as issue 9 would leave it. */
export const implementingWorkItem = (fixture: GitFixture) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const vcs = yield* Vcs
    const tree = yield* vcs.ensureWorktree({ repoPath: fixture.repo, ticketKey: ticket.identifier, title: ticket.title, baseBranch: Option.none() })
    yield* store.append([
      new TicketSynced({ ticket }),
      new WorkItemCreated({ workItemId, ticketId: ticket.id, repoPath: fixture.repo }),
      new WorktreeCreated({ workItemId, repoPath: fixture.repo, path: tree.path, branch: tree.branch, baseBranch: tree.baseBranch }),
      new SessionSpawned({ sessionId, workItemId, ticketId: ticket.id, harness: "harness.scripted", model: null, worktreePath: tree.path }),
      new WorkflowTransition({ workItemId, from: "New", to: "Planning", reason: "test" }),
      new WorkflowTransition({ workItemId, from: "Planning", to: "Implementing", reason: "test" })
    ])
    return tree
  })

/**
 * What the agent was told, in order. Like SessionRuntime.instruct, it records AgentInstructed
 * itself; unreachable, it takes nothing.
 */
export const recordingAgent = (reachable = true) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const told = yield* Ref.make<ReadonlyArray<string>>([])
    const agent: AgentChannel = {
      instruct: (workItem, text, instruction) =>
        reachable
          ? Ref.update(told, (all) => [...all, text]).pipe(
              Effect.zipRight(store.append([new AgentInstructed({ sessionId, workItemId: workItem, ...instruction, text })])),
              Effect.orDie,
              Effect.as(Option.some(sessionId))
            )
          : Effect.succeed(Option.none())
    }
    return { agent, told: Ref.get(told) }
  })

export const currentState = Effect.flatMap(EventStore, (store) =>
  Effect.map(store.workItem(workItemId), (item) => Option.getOrThrow(item).state)
)

/** The workflow moves recorded so far, as `from>to`. */
export const moves = Effect.flatMap(EventStore, (store) =>
  Effect.map(store.events({ workItemId, types: ["WorkflowTransition"] }), (events) =>
    events.flatMap((stored) => (stored.event._tag === "WorkflowTransition" ? [`${stored.event.from}>${stored.event.to}`] : []))
  )
)

/** As the worker runtime would after the agent pushed its fix: back to review. */
export const backToReview = (from: WorkflowState = "Implementing") =>
  Effect.flatMap(EventStore, (store) =>
    store.append([new WorkflowTransition({ workItemId, from, to: "PRDrafted", reason: "the agent pushed a fix" })])
  )

/** A work item whose ready pull request #1 is in review, with one pushed commit. */
export const inReviewWorkItem = (fixture: GitFixture, gh: FakeGh) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const vcs = yield* Vcs
    const tree = yield* implementingWorkItem(fixture)
    fs.writeFileSync(path.join(tree.path, "feature.txt"), "feature\n")
    yield* vcs.commitAll(tree.path, "feature")
    yield* openDraftPullRequest(workItemId, "A feature.")
    gh.update((state) => {
      state.pulls[0]!.isDraft = false
      state.pulls[0]!.reviewDecision = "REVIEW_REQUIRED"
    })
    yield* store.append([
      new WorkflowTransition({ workItemId, from: "PRDrafted", to: "ReadyForReview", reason: "test" }),
      new WorkflowTransition({ workItemId, from: "ReadyForReview", to: "InReview", reason: "test" })
    ])
    return tree
  })

/** A fresh git fixture, scripted gh and store for one test body; all removed with the scope. */
export const withPipeline = <A, E, R>(
  body: (env: { readonly fixture: GitFixture; readonly gh: FakeGh }) => Effect.Effect<A, E, R>,
  settings: PipelineSettings = {},
  ghState: Partial<FakeGhState> = {}
) =>
  Effect.gen(function* () {
    const fixture = yield* gitFixture
    const gh = yield* fakeGh(ghState)
    return yield* Effect.provide(body({ fixture, gh }), pipelineLayer(fixture, gh, settings))
  })

/** One poll of every work item in review, with a fresh memory of failing items. */
export const pipelineTick = (agent: Parameters<typeof prPipelineTick>[0]) =>
  Effect.flatMap(makeItemFailures(300_000), (failures) => prPipelineTick(agent, failures))
