import * as NodeContext from "@effect/platform-node/NodeContext"
import { Effect, Layer } from "effect"
import { configFromValue } from "../../../src/layers/config/ConfigLive.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { EventBusLive } from "../../../src/layers/eventBus/EventBusLive.js"
import { scriptedHarness, type ScriptedOptions } from "../../../src/layers/harness/Scripted.js"
import { GhCliLive } from "../../../src/layers/repoHost/GhCli.js"
import { SessionRuntimeLive } from "../../../src/layers/runtime/SessionRuntimeLive.js"
import { SchedulerLive } from "../../../src/layers/scheduler/SchedulerLive.js"
import { LocalLive } from "../../../src/layers/ticketing/Local.js"
import { GitCliLive } from "../../../src/layers/vcs/GitCli.js"
import { WorkflowLive } from "../../../src/programs/workflow/WorkflowLive.js"
import { AppConfig } from "../../../src/services/AppConfig.js"
import type { FakeGh } from "../../fakes/gh/ghState.js"
import type { GitFixture } from "../../layers/vcs/gitFixture.js"

/**
 * The whole engine below the screen, on real parts: real git with a bare origin, the scripted gh
 * executable, local tickets in an in-memory SQLite store, and the scripted harness.
 */
export const workflowLayer = (fixture: GitFixture, gh: FakeGh, harness: ScriptedOptions, settings: Record<string, unknown> = {}) => {
  const config = Layer.effect(
    AppConfig,
    Effect.orDie(
      configFromValue(
        {
          ticketing_provider: "ticketing.local",
          worktrees_root: fixture.worktreesRoot,
          git: { branch_prefix: "orch" },
          github: { binary: gh.binary },
          projects: { demo: fixture.repo },
          ...settings
        },
        fixture.dir
      )
    )
  )
  return WorkflowLive.pipe(
    Layer.provideMerge(SessionRuntimeLive),
    Layer.provideMerge(Layer.mergeAll(LocalLive, GitCliLive, GhCliLive, SchedulerLive, EventBusLive, scriptedHarness(harness))),
    Layer.provideMerge(EventStoreTest),
    Layer.provideMerge(config),
    Layer.provide(NodeContext.layer)
  )
}
