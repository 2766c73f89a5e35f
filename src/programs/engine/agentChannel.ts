import { Effect, Option } from "effect"
import type { SessionId, WorkItemId } from "../../domain/ids.js"
import { isTerminalSessionState } from "../../domain/session.js"
import type { EventStore } from "../../services/EventStore.js"
import type { SessionRuntime } from "../../services/SessionRuntime.js"
import type { AgentChannel, PipelineInstruction } from "../prPipeline/pipeline.js"

/** The PR pipeline reaches a work item's agent through its newest live session. */
export const agentChannel = (store: EventStore["Type"], runtime: SessionRuntime["Type"]): AgentChannel => ({
  instruct: (workItemId: WorkItemId, text: string, instruction: PipelineInstruction) =>
    Effect.gen(function* () {
      const rows = yield* Effect.orElseSucceed(store.workItemSessions(workItemId), () => [])
      const row = rows.find((candidate) => !isTerminalSessionState(candidate.state))
      if (row === undefined) return Option.none<SessionId>()
      const sent = yield* Effect.either(runtime.instruct(row.id, { ...instruction, text }))
      return sent._tag === "Right" ? Option.some(row.id) : Option.none<SessionId>()
    })
})
