import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { TicketSynced } from "../../../src/domain/events.js"
import { TicketState } from "../../../src/domain/ticket.js"
import { eventStoreOnFile } from "../../../src/layers/eventStore/EventStoreTest.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { makeTicket, ticketId } from "../../support/sampleEvents.js"
import { runBin } from "../../support/runBin.js"

/** A HOME whose default store holds 130 tickets: 120 local in Todo (T-1 first in list order), 10 linear in Done. */
const seededHome = Effect.acquireRelease(
  Effect.gen(function* () {
    const home = mkdtempSync(NodePath.join(tmpdir(), "orch-tickets-"))
    const tickets = Array.from({ length: 130 }, (_, i) =>
      makeTicket({
        id: ticketId(i + 1),
        identifier: `T-${i + 1}`,
        title: `ticket ${i + 1}`,
        provider: i < 120 ? "local" : "linear",
        priority: 2,
        state: i < 120 ? new TicketState({ name: "Todo", type: "unstarted" }) : new TicketState({ name: "Done", type: "completed" }),
        updatedAt: 1_000_000 - i
      })
    )
    const file = NodePath.join(home, ".local", "share", "orchestrator", "events.sqlite")
    yield* Effect.flatMap(EventStore, (store) => store.append(tickets.map((ticket) => new TicketSynced({ ticket })))).pipe(
      Effect.provide(eventStoreOnFile(file))
    )
    return home
  }),
  (home) => Effect.sync(() => rmSync(home, { recursive: true, force: true }))
)

const identifiers = (stdout: string) =>
  stdout
    .split("\n")
    .map((line) => line.split(/\s+/)[0] ?? "")
    .filter((word) => /^T-\d+$/.test(word))

describe("`tickets list` through the bin", () => {
  it.scopedLive("shows the first 100 and says how many there are; --limit, --all, --state, --provider and --json follow", () =>
    Effect.gen(function* () {
      const env = { HOME: yield* seededHome }
      const page = runBin(["tickets", "list"], env)
      expect(page.status).toBe(0)
      expect(identifiers(page.stdout)).toEqual(Array.from({ length: 100 }, (_, i) => `T-${i + 1}`))
      expect(page.stdout.trimEnd().split("\n").at(-1)).toBe("showing 100 of 130 tickets (--all for every one, --limit N for more)")

      const all = runBin(["tickets", "list", "--all"], env)
      expect(identifiers(all.stdout)).toHaveLength(130)
      expect(all.stdout).not.toContain("showing")

      const done = runBin(["tickets", "list", "--state", "done", "--limit", "4"], env)
      expect(identifiers(done.stdout)).toEqual(["T-121", "T-122", "T-123", "T-124"])
      expect(done.stdout).toContain("showing 4 of 10 tickets")

      const linear = runBin(["tickets", "list", "--provider", "linear"], env)
      expect(identifiers(linear.stdout)).toHaveLength(10)
      expect(linear.stdout).not.toContain("showing")

      const none = runBin(["tickets", "list", "--provider", "shortcut"], env)
      expect(none.stdout).toContain("(no tickets match --state / --provider)")

      const json = runBin(["tickets", "list", "--json", "--limit", "3"], env)
      expect(json.status).toBe(0)
      const parsed: ReadonlyArray<{ readonly identifier: string }> = JSON.parse(json.stdout)
      expect(parsed.map((t) => t.identifier)).toEqual(["T-1", "T-2", "T-3"])
      expect(json.stderr).toContain("showing 3 of 130 tickets")

      expect(runBin(["tickets", "list", "--limit", "0"], env).status).toBe(2)
    })
  )
})
