import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import * as NodePath from "node:path"
import { fileURLToPath } from "node:url"

export const projectRoot = NodePath.resolve(NodePath.dirname(fileURLToPath(import.meta.url)), "..", "..")
export const binPath = NodePath.join(projectRoot, "bin", "orchestrator.js")

export interface BinResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the built bin (what `npm install` gives a person) with an argument array and a given env. */
export const runBin = (args: ReadonlyArray<string>, env: Record<string, string>, cwd = projectRoot, bin = binPath): BinResult => {
  if (!existsSync(NodePath.join(projectRoot, "dist", "main.js"))) {
    throw new Error("dist/main.js is missing: run `npm run build` first (npm test does)")
  }
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    timeout: 60_000
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}
