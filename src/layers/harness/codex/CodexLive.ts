import { Effect, Layer } from "effect"
import { AppConfig } from "../../../services/AppConfig.js"
import { Harness } from "../../../services/Harness.js"
import { makeProcessHarness } from "../processHarness.js"
import { startCodexSession } from "./session.js"

const clientVersion = "0.1.0"

/** `harness.codex`: one `codex app-server` process per session, spoken to over JSON-RPC on stdio. */
export const CodexLive = Layer.scoped(
  Harness,
  Effect.gen(function* () {
    const config = yield* AppConfig
    const runtime = config.settings.runtime
    return yield* makeProcessHarness(config, {
      id: "harness.codex",
      capabilities: { steer: true, interrupt: true, resume: true, approvals: true, needsInput: true },
      binaryKey: "runtime.codex_binary",
      binaryValue: (settings) => settings.codex_binary,
      start: (session, scope) =>
        startCodexSession(
          {
            binary: session.binary,
            spec: session.spec,
            resumeThreadId: session.resumeId,
            requestTimeout: session.requestTimeout,
            parentEnv: session.parentEnv,
            envRemove: runtime.agent_env_remove,
            clientVersion,
            dataDir: config.dataDir,
            logRaw: runtime.harness_log_raw_events,
            logNormalized: runtime.harness_log_normalized_events
          },
          scope
        )
    })
  })
)
