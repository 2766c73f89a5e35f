import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { harnessLogPaths, makeHarnessLog } from "../../../src/layers/harness/jsonlLog.js"

const lines = (text: string) => text.trim().split("\n").map((line): unknown => JSON.parse(line))

describe("harness JSONL logs", () => {
  it.scoped("writes raw and normalized events as JSON lines under the data dir", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dataDir = yield* fs.makeTempDirectoryScoped({ prefix: "orch-log-" })
      yield* Effect.scoped(
        Effect.gen(function* () {
          const log = yield* makeHarnessLog({ harness: "harness.codex", dataDir, sessionId: "s/1", raw: true, normalized: true })
          yield* log.raw("out", { method: "turn/start", id: 1 })
          yield* log.raw("in", { id: 1, result: {} })
          yield* log.normalized({ _tag: "Message", itemId: "i", text: "hello" })
        })
      )
      const paths = harnessLogPaths(dataDir, "s/1")
      expect(paths.raw.startsWith(dataDir)).toBe(true)
      expect(lines(yield* fs.readFileString(paths.raw))).toMatchObject([
        { direction: "out", message: { method: "turn/start", id: 1 } },
        { direction: "in", message: { id: 1, result: {} } }
      ])
      expect(lines(yield* fs.readFileString(paths.normalized))).toMatchObject([{ event: { _tag: "Message", text: "hello" } }])
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scoped("writes nothing when both settings are off", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dataDir = yield* fs.makeTempDirectoryScoped({ prefix: "orch-log-" })
      const log = yield* makeHarnessLog({ harness: "harness.codex", dataDir, sessionId: "s", raw: false, normalized: false })
      yield* log.raw("out", { id: 1 })
      expect(yield* fs.readDirectory(dataDir)).toEqual([])
    }).pipe(Effect.provide(NodeContext.layer)))
})
