import { Effect, Layer } from "effect"
import { HarnessError } from "../../../src/domain/errors.js"
import type { HarnessProviderRow } from "../../../src/layers/harness/providers.js"
import { Harness } from "../../../src/services/Harness.js"
import { ProcessRunner } from "../../../src/services/ProcessRunner.js"

const id = "harness.fake"
const capabilities = { steer: false, interrupt: true, resume: false, approvals: false, needsInput: false }
const refuse = (operation: string) => Effect.fail(new HarnessError({ harness: id, operation, detail: "the fake harness runs nothing" }))

/** A third harness as a new adapter would add it: its own layer and one row. */
export const fakeHarnessRow: HarnessProviderRow = {
  id,
  name: "fakeagent",
  binaryKey: "runtime.fakeagent_binary",
  install: "npm install -g fakeagent",
  capabilities,
  health: () =>
    Effect.flatMap(ProcessRunner, (runner) => runner.run({ binary: "fakeagent", args: ["--version"] })).pipe(
      Effect.map((output) => `${output.stdout.trim()} (fakeagent)`)
    ),
  layer: Layer.succeed(
    Harness,
    Harness.of({
      id,
      capabilities,
      health: Effect.succeed("fakeagent: ready"),
      spawn: () => refuse("spawn"),
      resume: () => refuse("resume")
    })
  )
}
