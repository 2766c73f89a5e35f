import { Command, FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Stream } from "effect"
import * as NodePath from "node:path"
import { stopProcess } from "../../../src/layers/harness/stopProcess.js"

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * Runs a node child that handles SIGTERM with `onTerm` (it says "ready" once the handler is in
 * place) in a scope of its own that stops it with `stopProcess`, as the harness layers do, and
 * returns its pid once that scope has closed. The scope closes uninterruptibly, as layers do.
 */
const runAndStop = (onTerm: string) =>
  Effect.scoped(
    Effect.gen(function* () {
      const script = `process.on("SIGTERM", () => { ${onTerm} }); console.log("ready"); setInterval(() => {}, 1000)`
      const child = yield* Command.start(Command.make(process.execPath, "-e", script))
      yield* Effect.addFinalizer(() => stopProcess(child, Duration.millis(500)))
      yield* child.stdout.pipe(Stream.decodeText(), Stream.splitLines, Stream.takeUntil((line) => line === "ready"), Stream.runDrain)
      expect(isAlive(child.pid)).toBe(true)
      return child.pid
    })
  ).pipe(Effect.timeoutFail({ duration: "20 seconds", onTimeout: () => "closing the scope hung" }))

describe("stopProcess", () => {
  it.scopedLive("a child that ignores SIGTERM is killed: closing its scope finishes and leaves no process", () =>
    Effect.gen(function* () {
      // Without the SIGKILL escalation the close would wait forever.
      const pid = yield* runAndStop("/* ignored */")
      expect(isAlive(pid)).toBe(false)
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scopedLive("a child that exits on SIGTERM gets to finish its own shutdown", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped({ prefix: "orch-stop-" })
      const marker = NodePath.join(dir, "stopped")
      const pid = yield* runAndStop(`require("node:fs").writeFileSync(${JSON.stringify(marker)}, "clean"); process.exit(0)`)
      expect(isAlive(pid)).toBe(false)
      expect(yield* fs.readFileString(marker)).toBe("clean")
    }).pipe(Effect.provide(NodeContext.layer)))
})
