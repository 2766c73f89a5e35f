import { FetchHttpClient } from "@effect/platform"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { Layer } from "effect"
import { EventBusLive } from "../../layers/eventBus/EventBusLive.js"
import { harnessProviders } from "../../layers/harness/providers.js"
import { GhCliLive } from "../../layers/repoHost/GhCli.js"
import { SessionRuntimeLive } from "../../layers/runtime/SessionRuntimeLive.js"
import { SchedulerLive } from "../../layers/scheduler/SchedulerLive.js"
import { TicketingLive } from "../../layers/ticketing/TicketingLive.js"
import { GitCliLive } from "../../layers/vcs/GitCli.js"
import { WorkflowLive } from "../workflow/WorkflowLive.js"
import type { AppConfig } from "../../services/AppConfig.js"
import type { EventStore } from "../../services/EventStore.js"
import type { Harness } from "../../services/Harness.js"
import type { RepoHost } from "../../services/RepoHost.js"
import type { Vcs } from "../../services/Vcs.js"
import { HarnessProviders } from "../../services/HarnessProvider.js"

/** git and gh on this machine. */
export const LocalTools = Layer.merge(GitCliLive, GhCliLive)

/**
 * Everything `run` needs, above a config, a store, a harness, git and gh: the bus, the scheduler,
 * the session runtime, the tracker and the workflow. The TUI and headless modes share it.
 */
export const engineLayer = <E, R>(base: Layer.Layer<AppConfig | EventStore | Harness | Vcs | RepoHost, E, R>) =>
  WorkflowLive.pipe(
    Layer.provideMerge(SessionRuntimeLive),
    Layer.provideMerge(Layer.mergeAll(TicketingLive, SchedulerLive, EventBusLive, Layer.succeed(HarnessProviders, harnessProviders))),
    Layer.provideMerge(base),
    Layer.provide(Layer.merge(NodeContext.layer, FetchHttpClient.layer))
  )
