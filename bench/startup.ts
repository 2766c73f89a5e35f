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

/** `orchestrator sessions list --json` wall time against `node -e 0`, medians, runs interleaved; the full CLI beside it. */
export const benchStartup = async (): Promise<ReadonlyArray<Figure>> => {
  const home = mkdtempSync(NodePath.join(tmpdir(), "orch-bench-start-"))
  try {
    const env = { HOME: home }
    wallTime([binPath, "sessions", "list", "--json"], env) // first run writes the config and the store
    const bare: Array<number> = []
    const cli: Array<number> = []
    const fullCli: Array<number> = []
    const version: Array<number> = []
    for (let i = 0; i < RUNS; i++) {
      bare.push(wallTime(["-e", "0"], env))
      cli.push(wallTime([binPath, "sessions", "list", "--json"], env))
      fullCli.push(wallTime([binPath, "sessions", "list", "--json"], { ...env, ORCHESTRATOR_NO_QUICK: "1" }))
      version.push(wallTime([binPath, "--version"], env))
    }
    return [
      { label: "node -e 0 (median)", value: Math.round(median(bare)), unit: "ms" },
      // The quick path (src/quick.ts) answers: the config was validated by the first run.
      { label: "orchestrator sessions list --json (median)", value: Math.round(median(cli)), unit: "ms" },
      { label: "start-up ratio to node -e 0", value: median(cli) / median(bare), unit: "×" },
      // The same command through the full Effect CLI, and what loading that CLI alone costs.
      { label: "  the same through the full CLI (ORCHESTRATOR_NO_QUICK=1)", value: Math.round(median(fullCli)), unit: "ms" },
      { label: "  full CLI ratio to node -e 0", value: median(fullCli) / median(bare), unit: "×" },
      { label: "  orchestrator --version (full CLI, median)", value: Math.round(median(version)), unit: "ms" }
    ]
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
}
