// The "20 sessions × 5,000 events, slow UI" scenario as a program of its own: bench/sessions.ts
// runs it bundled in a fresh process, so its memory figures are the program's, not the bench's.
import { Effect } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { eventStoreOnFile } from "../src/layers/eventStore/EventStoreTest.js"
import { type LoadOptions, runLoad } from "../test/layers/runtime/loadScenario.js"

const options: LoadOptions = JSON.parse(process.argv[2] ?? "{}")
const dir = mkdtempSync(NodePath.join(tmpdir(), "orchestrator-bench-sessions-"))
try {
  const { uiFirst: _, ...result } = await Effect.runPromise(runLoad(options, eventStoreOnFile(NodePath.join(dir, "events.sqlite"))))
  // The kernel's high-water mark for the whole process, start-up included (kilobytes on Linux).
  console.log(JSON.stringify({ ...result, maxRssBytes: process.resourceUsage().maxRSS * 1024 }))
} finally {
  rmSync(dir, { recursive: true, force: true })
}
