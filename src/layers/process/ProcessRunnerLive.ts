import { CommandExecutor } from "@effect/platform"
import { Effect, Layer } from "effect"
import { ProcessRunner, type ProcessSpec } from "../../services/ProcessRunner.js"
import { requireSuccess, runProcess } from "./runProcess.js"

/** The ProcessRunner port on the platform's CommandExecutor (NodeContext.layer provides one). */
export const ProcessRunnerLive: Layer.Layer<ProcessRunner, never, CommandExecutor.CommandExecutor> = Layer.effect(
  ProcessRunner,
  Effect.map(CommandExecutor.CommandExecutor, (executor) => {
    const capture = (spec: ProcessSpec) =>
      Effect.provideService(runProcess(spec), CommandExecutor.CommandExecutor, executor)
    return ProcessRunner.of({
      capture,
      run: (spec) => Effect.flatMap(capture(spec), (output) => requireSuccess(spec, output))
    })
  })
)
