import { NodeContext } from "@effect/platform-node"
import { expect, layer } from "@effect/vitest"
import { Clock, Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { ProcessRunnerLive } from "../../../src/layers/process/ProcessRunnerLive.js"
import { MAX_OUTPUT_CHARS } from "../../../src/layers/process/runProcess.js"
import { ProcessRunner, type ProcessSpec } from "../../../src/services/ProcessRunner.js"

const node = (script: string, extra: Partial<ProcessSpec> = {}): ProcessSpec => ({
  binary: process.execPath,
  args: ["-e", script],
  ...extra
})

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const tempDir = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "runner-test-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

// Stateless: the runner holds nothing between calls, so one layer serves every test. Real clock:
// the timeouts are real processes' timeouts.
layer(ProcessRunnerLive.pipe(Layer.provide(NodeContext.layer)), { excludeTestServices: true })("ProcessRunnerLive", (it) => {
  it.scoped("run fails on a non-zero exit with the process's own message; capture returns the exit", () =>
    Effect.gen(function* () {
      const processes = yield* ProcessRunner
      const spec = node("process.stdout.write('partial'); process.stderr.write('  bad thing happened\\n'); process.exit(3)")
      const error = yield* Effect.flip(processes.run(spec))
      expect(error).toMatchObject({ _tag: "ProcessFailed", reason: "exit", exitCode: 3, detail: "bad thing happened" })
      expect(error.message).toBe(`${process.execPath} exited with 3: bad thing happened`)
      expect(yield* processes.capture(spec)).toEqual({ exitCode: 3, stdout: "partial", stderr: "  bad thing happened\n" })
    }))

  it.scoped("run returns the output of a zero exit; env is added to the inherited one; cwd is used", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const script = "console.log(process.env.RUNNER_TEST_VAR, typeof process.env.PATH, process.cwd())"
      const output = yield* (yield* ProcessRunner).run(node(script, { env: { RUNNER_TEST_VAR: "set" }, cwd: dir }))
      expect(output).toEqual({ exitCode: 0, stdout: `set string ${fs.realpathSync(dir)}\n`, stderr: "" })
    }))

  it.scoped("stdin is fed and closed", () =>
    Effect.gen(function* () {
      const script = "let s = ''; process.stdin.on('data', (d) => { s += d }); process.stdin.on('end', () => console.log(s.toUpperCase()))"
      const processes = yield* ProcessRunner
      expect((yield* processes.run(node(script, { stdin: "fed text" }))).stdout).toBe("FED TEXT\n")
      // No stdin given: it is closed empty, so a reader ends instead of waiting for the timeout.
      expect((yield* processes.run(node(script, { timeout: "10 seconds" }))).stdout).toBe("\n")
    }))

  it.scoped("a process that outlives its timeout is killed, even one that ignores SIGTERM", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const pidFile = path.join(dir, "pid")
      const script = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)`
      const started = yield* Clock.currentTimeMillis
      const error = yield* Effect.flip((yield* ProcessRunner).run(node(script, { timeout: "1500 millis" })))
      const elapsed = (yield* Clock.currentTimeMillis) - started
      expect(error).toMatchObject({ _tag: "ProcessFailed", reason: "timeout", exitCode: null })
      expect(error.message).toBe(`${process.execPath} did not finish in time`)
      expect(elapsed).toBeGreaterThanOrEqual(1500)
      expect(elapsed).toBeLessThan(8000)
      expect(isAlive(Number(fs.readFileSync(pidFile, "utf8")))).toBe(false)
    }))

  it.scoped("output is bounded, and the process is still read to its end", () =>
    Effect.gen(function* () {
      const script = `const b = Buffer.alloc(1 << 20, 'x'); for (let i = 0; i < 17; i++) process.stdout.write(b); process.stderr.write('done')`
      const output = yield* (yield* ProcessRunner).run(node(script))
      expect(output.stdout.length).toBe(MAX_OUTPUT_CHARS)
      expect(output.stderr).toBe("done")
    }))

  it.scoped("a binary that does not exist fails to spawn", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip((yield* ProcessRunner).capture({ binary: "orchestrator-no-such-binary", args: ["--version"] }))
      expect(error).toMatchObject({ _tag: "ProcessFailed", reason: "spawn", binary: "orchestrator-no-such-binary" })
      expect(error.message).toContain("orchestrator-no-such-binary could not start")
      expect(error.detail).toContain("ENOENT")
    }))

  it.scoped("a process killed by a signal is a failure, not an exit code", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip((yield* ProcessRunner).capture(node("process.kill(process.pid, 'SIGKILL')")))
      expect(error).toMatchObject({ _tag: "ProcessFailed", reason: "exit", exitCode: null })
      expect(error.message).toContain("was stopped by a signal")
    }))
})
