import { NodeContext, NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, Schema } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { defaultAgentEnvRemove } from "../../../../src/domain/config.js"
import { acquireServer } from "../../../../src/layers/harness/opencode/server.js"

/**
 * A stand-in for `opencode serve`: writes its cwd and environment to $FAKE_OPENCODE_OUT, then
 * prints the line the real one prints and waits to be stopped.
 */
const fakeOpencode = `#!/usr/bin/env node
const fs = require("node:fs")
fs.writeFileSync(process.env.FAKE_OPENCODE_OUT, JSON.stringify({ cwd: process.cwd(), env: process.env }))
console.log("opencode server listening on http://127.0.0.1:4096")
setInterval(() => {}, 1000)
`

const Spawned = Schema.parseJson(Schema.Struct({ cwd: Schema.String, env: Schema.Record({ key: Schema.String, value: Schema.String }) }))

const tempRoot = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "orch-opencode-server-"))),
  (root) => Effect.sync(() => fs.rmSync(root, { recursive: true, force: true }))
)

describe("opencode serve, spawned", () => {
  it.scopedLive("runs in its data directory, created when missing, with GitHub tokens and secrets left out", () =>
    Effect.gen(function* () {
      const root = yield* tempRoot
      const binary = path.join(root, "opencode")
      fs.writeFileSync(binary, fakeOpencode, { mode: 0o755 })
      const out = path.join(root, "spawned.json")
      // A fresh HOME: the data dir's parents do not exist either.
      const workingDirectory = path.join(root, "home", ".local", "share", "orchestrator")
      const server = yield* acquireServer({
        attachUrl: "",
        binary,
        allowUnsafeCommandPaths: true,
        startupTimeout: Duration.seconds(20),
        environment: {
          PATH: process.env["PATH"] ?? "",
          FAKE_OPENCODE_OUT: out,
          GITHUB_TOKEN: "ghp_person",
          GH_TOKEN: "gho_person",
          LINEAR_API_KEY: "lin_secret",
          KEEP_ME: "1"
        },
        environmentRemove: defaultAgentEnvRemove,
        workingDirectory
      })
      expect(server.address.baseUrl).toBe("http://127.0.0.1:4096")
      const spawned = Schema.decodeUnknownSync(Spawned)(fs.readFileSync(out, "utf8"))
      expect(spawned.cwd).toBe(fs.realpathSync(workingDirectory))
      expect(spawned.env["KEEP_ME"]).toBe("1")
      expect(spawned.env["OPENCODE_SERVER_PASSWORD"]).toMatch(/^[0-9a-f]{48}$/)
      expect(Object.keys(spawned.env).filter((name) => /TOKEN|API_KEY/.test(name))).toEqual([])
    }).pipe(Effect.provide(Layer.merge(NodeContext.layer, NodeHttpClient.layerUndici))))
})
