import { Effect, Layer } from "effect"
import { randomUUID } from "node:crypto"
import { AppConfig } from "../../../services/AppConfig.js"
import { Harness } from "../../../services/Harness.js"
import { makeProcessHarness } from "../processHarness.js"
import { claudePackageDirs } from "./platformPackage.js"
import { startClaudeSession } from "./session.js"

/** `harness.claude`: one `claude --print` process per session, spoken to in stream-json on stdio. */
export const ClaudeLive = Layer.scoped(
  Harness,
  Effect.gen(function* () {
    const config = yield* AppConfig
    const runtime = config.settings.runtime
    return yield* makeProcessHarness(config, {
      id: "harness.claude",
      // Input during a turn is queued as the next turn, not steered into the running one.
      capabilities: { steer: false, interrupt: true, resume: true, approvals: true, needsInput: true },
      binaryKey: "runtime.claude_binary",
      binaryValue: (settings) => settings.claude_binary,
      extraDirs: claudePackageDirs(),
      start: (session, scope) =>
        startClaudeSession(
          {
            binary: session.binary,
            spec: session.spec,
            claudeSessionId: session.resumeId ?? randomUUID(),
            resume: session.resumeId !== null,
            requestTimeout: session.requestTimeout,
            parentEnv: session.parentEnv,
            envRemove: runtime.agent_env_remove,
            dataDir: config.dataDir,
            logRaw: runtime.harness_log_raw_events,
            logNormalized: runtime.harness_log_normalized_events
          },
          scope
        )
    })
  })
)
