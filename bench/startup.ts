import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { performance } from "node:perf_hooks"
import { binPath } from "../test/support/runBin.js"
import { type Figure, median } from "./figures.js"

const RUNS = 9

const wallTime = (args: ReadonlyArray<string>, env: Record<string, string>): number => {
  const start = performance.now()
  const result = spawnSync(process.execPath, args, { env: { PATH: process.env.PATH ?? "", ...env }, stdio: "ignore" })
  if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}`)
  return performance.now() - start
}

/** `orchestrator sessions list --json` wall time against `node -e 0`, medians, runs interleaved. */
export const benchStartup = async (): Promise<ReadonlyArray<Figure>> => {
  const home = mkdtempSync(NodePath.join(tmpdir(), "orch-bench-start-"))
  try {
    const env = { HOME: home }
    wallTime([binPath, "sessions", "list", "--json"], env) // first run writes the config and the store
    const bare: Array<number> = []
    const cli: Array<number> = []
    const version: Array<number> = []
    for (let i = 0; i < RUNS; i++) {
      bare.push(wallTime(["-e", "0"], env))
      cli.push(wallTime([binPath, "sessions", "list", "--json"], env))
      version.push(wallTime([binPath, "--version"], env))
    }
    return [
      { label: "node -e 0 (median)", value: Math.round(median(bare)), unit: "ms" },
      { label: "orchestrator sessions list --json (median)", value: Math.round(median(cli)), unit: "ms" },
      // Where the time goes: loading the bundle and parsing arguments, without config or store.
      { label: "orchestrator --version (median)", value: Math.round(median(version)), unit: "ms" },
      { label: "start-up ratio to node -e 0", value: median(cli) / median(bare), unit: "×" }
    ]
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
}
