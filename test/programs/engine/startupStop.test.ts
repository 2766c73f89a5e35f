import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { Effect } from "effect"
import { ArtifactCreated, type DomainEvent, TicketSynced, WorkflowTransition, WorkItemCreated } from "../../../src/domain/events.js"
import { ArtifactId, WorkItemId } from "../../../src/domain/ids.js"
import type { WorkflowState } from "../../../src/domain/workflow.js"
import { eventStoreOnFile } from "../../../src/layers/eventStore/EventStoreTest.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { binPath } from "../../support/runBin.js"
import { sampleTicket, ticketId } from "../../support/sampleEvents.js"

let home = ""
beforeEach(() => {
  home = mkdtempSync(NodePath.join(tmpdir(), "orch-startstop-"))
})
afterEach(() => rmSync(home, { recursive: true, force: true }))

const ITEMS = 2000
const path: ReadonlyArray<WorkflowState> = ["New", "Planning", "Implementing", "PRDrafted"]

/** Open work items with pull requests whose tracker side was never mirrored: the start-up repair has work for each. */
const unmirrored = (n: number): ReadonlyArray<DomainEvent> => {
  const workItemId = WorkItemId.make(`wi-${n}`)
  return [
    new TicketSynced({ ticket: sampleTicket(n) }),
    new WorkItemCreated({ workItemId, ticketId: ticketId(n), repoPath: home }),
    new ArtifactCreated({ artifactId: ArtifactId.make(`art-${n}`), workItemId, sessionId: null, kind: "pullRequest", title: "PR", uri: `https://github.com/o/r/pull/${n}` }),
    ...path.slice(1).map((to, index) => new WorkflowTransition({ workItemId, from: path[index] ?? "New", to, reason: "setup" }))
  ]
}

describe("run --headless stopped during its start-up work (bin)", () => {
  it("SIGINT while the tracker repair still visits work items exits promptly with its stopped line", async () => {
    const store = NodePath.join(home, "events.sqlite")
    await Effect.runPromise(
      Effect.flatMap(EventStore, (s) => s.append(Array.from({ length: ITEMS }, (_, n) => unmirrored(n + 1)).flat())).pipe(Effect.provide(eventStoreOnFile(store)))
    )
    mkdirSync(NodePath.join(home, ".config", "orchestrator"), { recursive: true })
    writeFileSync(NodePath.join(home, ".config", "orchestrator", "config.toml"), `ticketing_provider = "ticketing.local"\nevent_store_path = ${JSON.stringify(store)}\n`)
    const child = spawn(process.execPath, [binPath, "run", "--headless"], { env: { PATH: process.env.PATH ?? "", HOME: home }, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let signalledAt = 0
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8")
      // The repair runs behind the started line (seconds for this many items): stopped as it begins.
      if (signalledAt === 0 && stdout.includes("event=started")) {
        signalledAt = performance.now()
        child.kill("SIGINT")
      }
    })
    const exitedAt = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL")
        reject(new Error(`no exit within 60 s; stdout so far:\n${stdout.slice(-2000)}`))
      }, 60_000)
      child.on("exit", () => {
        clearTimeout(timer)
        resolve(performance.now())
      })
    })
    expect(signalledAt).toBeGreaterThan(0)
    // The repair was cut short: fewer tracker updates than the 5 per item it had to make (state, link, comment, each logged with the ticket it wrote).
    const updates = stdout.split("\n").filter((line) => line.includes("event=TrackerUpdated")).length
    expect(updates).toBeLessThan(ITEMS * 5)
    expect(stdout.trim().split("\n").at(-1)).toMatch(/^event=stopped reason=SIGINT /)
    // Within 1 s on an idle machine; the bound leaves room for a shared, loaded one.
    expect(exitedAt - signalledAt).toBeLessThan(3000)
  }, 90_000)
})
