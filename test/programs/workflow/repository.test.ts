import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { TicketSynced, WorkItemCreated } from "../../../src/domain/events.js"
import { TicketId, WorkItemId } from "../../../src/domain/ids.js"
import { configFromValue } from "../../../src/layers/config/ConfigLive.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { resolveRepository } from "../../../src/programs/workflow/repository.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { makeTicket } from "../../support/sampleEvents.js"

/** Directories that pass for repositories (a `.git` inside), removed with the scope. */
const repositories = (...names: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), "orch-repository-"))
      const paths = names.map((name) => path.join(root, name))
      for (const repo of paths) fs.mkdirSync(path.join(repo, ".git"), { recursive: true })
      return { root, paths }
    }),
    ({ root }) => Effect.sync(() => fs.rmSync(root, { recursive: true, force: true }))
  )

const local = (n: number, project: string | null) =>
  makeTicket({ id: TicketId.make(`local:${n}`), identifier: `LOCAL-${n}`, title: `Local ${n}`, project })

const linear = (n: number, team: string, project: string | null) =>
  makeTicket({ id: TicketId.make(`linear:${n}`), provider: "linear", identifier: `${team}-${n}`, title: `Issue ${n}`, project, team })

describe("resolveRepository", () => {
  it.scoped("maps a local ticket by its project, never by the LOCAL prefix every local ticket has", () =>
    Effect.gen(function* () {
      const { root, paths } = yield* repositories("demo", "web")
      const [demo = "", web = ""] = paths
      const config = yield* configFromValue({ projects: { demo, web } }, root)
      const store = yield* EventStore
      expect(yield* resolveRepository(config, store, local(1, "demo"), undefined)).toBe(demo)
      expect(yield* resolveRepository(config, store, local(2, "web"), undefined)).toBe(web)

      // With `web` unmapped, an earlier `demo` work item must not lend it its repository.
      const onlyDemo = yield* configFromValue({ projects: { demo } }, root)
      yield* store.append([
        new TicketSynced({ ticket: local(1, "demo") }),
        new WorkItemCreated({ workItemId: WorkItemId.make("wi-1"), ticketId: TicketId.make("local:1"), repoPath: demo })
      ])
      const unknown = yield* Effect.flip(resolveRepository(onlyDemo, store, local(2, "web"), undefined))
      expect(unknown).toMatchObject({ _tag: "RepositoryUnknown", project: "web" })
      const none = yield* Effect.flip(resolveRepository(onlyDemo, store, local(3, null), undefined))
      expect(none).toMatchObject({ _tag: "RepositoryUnknown", project: null })
      // A local ticket of the same project goes where the earlier one went.
      expect(yield* resolveRepository(yield* configFromValue({}, root), store, local(4, "demo"), undefined)).toBe(demo)
    }).pipe(Effect.provide(EventStoreTest)))

  it.scoped("a tracker's ticket maps by project, then team, then its identifier's prefix", () =>
    Effect.gen(function* () {
      const { root, paths } = yield* repositories("api", "eng", "ops")
      const [api = "", eng = "", ops = ""] = paths
      const config = yield* configFromValue({ projects: { API: api, ENG: eng, OPS: ops } }, root)
      const store = yield* EventStore
      expect(yield* resolveRepository(config, store, linear(1, "ENG", "API"), undefined)).toBe(api)
      expect(yield* resolveRepository(config, store, linear(2, "ENG", null), undefined)).toBe(eng)
      const teamless = makeTicket({ id: TicketId.make("linear:3"), provider: "linear", identifier: "OPS-3", title: "Issue 3" })
      expect(yield* resolveRepository(config, store, teamless, undefined)).toBe(ops)
    }).pipe(Effect.provide(EventStoreTest)))
})
