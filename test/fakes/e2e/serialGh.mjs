#!/usr/bin/env node
// Runs the scripted gh beside this file one call at a time: its state file is read, changed and
// written whole, so two concurrent calls (the PR pipeline polls several pull requests at once)
// would lose one another's changes. A lock directory serializes them; a stale lock is broken.
import { spawnSync } from "node:child_process"
import { mkdirSync, rmSync, statSync } from "node:fs"
import * as path from "node:path"

const dir = path.dirname(process.argv[1])
const lock = path.join(dir, "gh.lock")
const pause = new Int32Array(new SharedArrayBuffer(4))
const deadline = Date.now() + 30_000
for (;;) {
  try {
    mkdirSync(lock)
    break
  } catch {
    try {
      // A holder killed with -9 never releases: a lock older than 10 s is taken over.
      if (Date.now() - statSync(lock).mtimeMs > 10_000) rmSync(lock, { recursive: true, force: true })
    } catch {}
    if (Date.now() > deadline) {
      process.stderr.write("serialGh: could not take the lock in 30 s\n")
      process.exit(1)
    }
    Atomics.wait(pause, 0, 0, 10)
  }
}
try {
  const result = spawnSync(process.execPath, [path.join(dir, "gh"), ...process.argv.slice(2)], { stdio: "inherit" })
  process.exitCode = result.status ?? 1
} finally {
  rmSync(lock, { recursive: true, force: true })
}
