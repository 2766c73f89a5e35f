import { Effect } from "effect"
import { bash, text } from "../../fakes/modelServer/messagesScript.js"
import { exec, message } from "../../fakes/modelServer/responsesScript.js"
import { claudeHarness, makeClaudeWorld } from "./claude/claudeFixture.js"
import { codexHarness, makeCodexWorld } from "./codex/codexFixture.js"
import { harnessContract } from "./contract.js"
import { openCodeHarness, setup, spec } from "./opencode/fixture.js"

harnessContract(
  "harness.codex",
  (script) =>
    Effect.map(makeCodexWorld([exec(script.command), ...script.answers.map(message)]), (world) => ({
      harness: codexHarness(world),
      spec: world.spec()
    }))
)

harnessContract(
  "harness.claude",
  (script) =>
    Effect.map(makeClaudeWorld([bash(script.command), ...script.answers.map(text)]), (world) => ({
      harness: claudeHarness(world),
      spec: world.spec()
    }))
)

harnessContract(
  "harness.opencode",
  (script) =>
    Effect.map(
      setup([{ kind: "bash", command: script.command }, ...script.answers.map((text) => ({ kind: "text" as const, text }))]),
      ({ ws }) => ({ harness: openCodeHarness(ws), spec: spec(ws) })
    )
)
