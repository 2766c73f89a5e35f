import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { binPath } from "../../support/runBin.js"

let home = ""
beforeEach(() => {
  home = mkdtempSync(NodePath.join(tmpdir(), "orch-stop-"))
})
afterEach(() => rmSync(home, { recursive: true, force: true }))

/** Starts `run --headless`, sends `signal` once it has started, and resolves with its stdout and exit. */
const stopWith = (signal: NodeJS.Signals) =>
  new Promise<{ readonly stdout: string; readonly code: number | null }>((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, "run", "--headless"], { env: { PATH: process.env.PATH ?? "", HOME: home }, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`no exit within 30s; stdout so far:\n${stdout}`))
    }, 30_000)
    child.stdout.on("data", (chunk: Buffer) => {
      const before = stdout
      stdout += chunk.toString("utf8")
      if (!before.includes("event=started") && stdout.includes("event=started")) child.kill(signal)
    })
    child.on("exit", (code) => {
      clearTimeout(timer)
      resolve({ stdout, code })
    })
  })

describe("run --headless (bin)", () => {
  it.each(["SIGINT", "SIGTERM"] as const)("ends with a stopped line naming %s", async (signal) => {
    const { stdout } = await stopWith(signal)
    const lines = stdout.trim().split("\n")
    expect(lines[0]).toMatch(/^event=started /)
    expect(lines.at(-1)).toBe(`event=stopped reason=${signal} last_seq=0`)
  }, 40_000)
})
