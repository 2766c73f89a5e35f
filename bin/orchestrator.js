#!/usr/bin/env node
// Every command but `run` and `runner` starts from one CommonJS bundle read through V8's code cache (fast
// start-up); `run` loads the ES module build, whose screen (Ink) cannot be bundled as CommonJS.
// `sessions list` is first offered to dist/quick.cjs, which reads the store without loading Effect
// (src/quick.ts says when it answers). A plain interactive `run` first gets its screen's first frame
// drawn from the store by dist/early.cjs while the ES module build loads (src/earlyFrame.ts).
// ORCHESTRATOR_NO_QUICK=1 always takes the full CLI, without either.
import { createRequire } from "node:module"

const valueFlags = new Set(["--config", "--ticketing-provider", "--harness-provider", "--vcs-provider", "--vcs-repo-provider"])

/** The subcommand: the first argument that is neither a flag nor a flag's value. */
const subcommand = (args) => {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (valueFlags.has(arg)) i++
    else if (!arg.startsWith("-")) return arg
  }
  return undefined
}

/** `sessions list` read from the store by dist/quick.cjs, or undefined when the full CLI must run it. */
const quickAnswer = (args) => {
  if (process.env.ORCHESTRATOR_NO_QUICK === "1") return undefined
  try {
    return require("../dist/quick.cjs").quickAnswer(args)
  } catch {
    return undefined
  }
}

/** Draws `run`'s first frame when dist/early.cjs can; any failure leaves `run` to start as before. */
const drawEarlyFrame = (args) => {
  if (process.env.ORCHESTRATOR_NO_QUICK === "1") return
  try {
    require("../dist/early.cjs").drawEarlyFrame(args)
  } catch {}
}

const require = createRequire(import.meta.url)
const args = process.argv.slice(2)
const command = subcommand(args)
const quick = command === "sessions" && process.env.ORCHESTRATOR_ESM !== "1" ? quickAnswer(args) : undefined
if (quick !== undefined) {
  // A reader that stops early (`| head`) is not a failure, as with the full CLI.
  process.stdout.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(0)
    throw error
  })
  process.stderr.write(quick.stderr)
  process.stdout.write(quick.stdout)
} else if (command === "run" || command === "runner" || process.env.ORCHESTRATOR_ESM === "1") {
  if (command === "run" && process.env.ORCHESTRATOR_ESM !== "1") drawEarlyFrame(args)
  await import("../dist/main.js")
} else require("./load-cli.cjs")
