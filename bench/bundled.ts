import { build } from "esbuild"
import { spawn } from "node:child_process"
import { mkdirSync } from "node:fs"
import * as NodePath from "node:path"
import { esmRequireBanner, externalPackages, sharedOptions } from "../scripts/esbuildOptions.mjs"

/** Beside node_modules, so the bundle's external packages (better-sqlite3) resolve as in dist/. */
const outDir = NodePath.resolve("node_modules/.cache/orchestrator-bench")

/**
 * Runs a scenario the way the installed program runs: bundled and minified, in its own Node
 * process (no tsx, no other benchmark's heap). `entry` reads its input as JSON from argv[2] and
 * prints its result as one JSON line on stdout.
 */
export const runBundled = async (entry: string, input: unknown): Promise<unknown> => {
  mkdirSync(outDir, { recursive: true })
  const outfile = NodePath.join(outDir, `${NodePath.basename(entry, ".ts")}.mjs`)
  await build({
    ...sharedOptions,
    entryPoints: [entry],
    outfile,
    format: "esm",
    external: externalPackages,
    banner: { js: esmRequireBanner }
  })
  const child = spawn(process.execPath, [outfile, JSON.stringify(input)], { stdio: ["ignore", "pipe", "inherit"] })
  let stdout = ""
  child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text))
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve))
  if (code !== 0) throw new Error(`${entry} exited ${code}`)
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "null")
}
