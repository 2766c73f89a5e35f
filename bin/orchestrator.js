#!/usr/bin/env node
// Every command but `run` starts from one CommonJS bundle read through V8's code cache (fast
// start-up); `run` loads the ES module build, whose screen (Ink) cannot be bundled as CommonJS.
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

if (subcommand(process.argv.slice(2)) === "run" || process.env.ORCHESTRATOR_ESM === "1") await import("../dist/main.js")
else createRequire(import.meta.url)("./load-cli.cjs")
