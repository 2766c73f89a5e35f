import { describe, expect, it } from "@effect/vitest"
import { type Context, Effect, Either, type Scope } from "effect"
import { TicketId } from "../../../src/domain/ids.js"
import type { TicketProvider } from "../../../src/domain/ticket.js"
import type { Ticketing, TicketQuery } from "../../../src/services/Ticketing.js"

/** One seeded ticket, in terms every provider can express. */
export interface SeedTicket {
  readonly title: string
  readonly description: string
  readonly state: "Todo" | "In Progress"
}

/** Shell metacharacters, `../`, emoji, and 5,000 characters in all. */
export const hostileTitle = (() => {
  const head = "$(rm -rf ~); `id` && echo \"x\" | cat > ../../etc/passwd 🦄🚀 'quoted' <b>"
  return (head + "é🙂".repeat(2500)).slice(0, 5000)
})()

/** Eight tickets: with a page size of 3 that is three pages. */
export const contractSeed: ReadonlyArray<SeedTicket> = [
  { title: "Fix login redirect", description: "after OAuth", state: "Todo" },
  { title: hostileTitle, description: "hostile title", state: "Todo" },
  { title: "Add dark mode", description: "theme tokens", state: "In Progress" },
  { title: "Find the needle", description: "unique word", state: "Todo" },
  { title: "Speed up sync", description: "batch writes", state: "In Progress" },
  { title: "Write docs", description: "README", state: "Todo" },
  { title: "Upgrade deps", description: "effect 3.22", state: "Todo" },
  { title: "Remove dead code", description: "cleanup", state: "Todo" }
]

export type TicketingService = Context.Tag.Service<Ticketing>

/** Builds the provider under test holding exactly `seed` (fakes and stores live in the scope). */
export type MakeProvider = (seed: ReadonlyArray<SeedTicket>) => Effect.Effect<TicketingService, unknown, Scope.Scope>

const everything: TicketQuery = { assignedToMe: true, states: [], search: null, limit: 100 }

/** The same assertions for every Ticketing implementation. */
export const ticketingContract = (provider: TicketProvider, make: MakeProvider) =>
  describe(`Ticketing contract: ${provider}`, () => {
    it.scopedLive("lists every seeded ticket across pages, titles intact, ids namespaced", () =>
      Effect.gen(function* () {
        const tracker = yield* make(contractSeed)
        const pages: Array<number> = []
        const tickets = yield* tracker.list(everything, (n) => Effect.sync(() => pages.push(n)))
        expect(tickets.map((t) => t.title).sort()).toEqual(contractSeed.map((s) => s.title).sort())
        expect(tickets.every((t) => t.id.startsWith(`${provider}:`) && t.provider === provider)).toBe(true)
        expect(pages.at(-1)).toBe(contractSeed.length)
        const hostile = tickets.find((t) => t.description === "hostile title")
        expect(hostile?.title).toBe(hostileTitle)
        expect(hostile?.title.length).toBe(5000)
      }))

    it.scopedLive("an empty tracker lists nothing", () =>
      Effect.gen(function* () {
        const tracker = yield* make([])
        expect(yield* tracker.list(everything)).toEqual([])
      }))

    it.scopedLive("honours limit, states and search", () =>
      Effect.gen(function* () {
        const tracker = yield* make(contractSeed)
        expect(yield* tracker.list({ ...everything, limit: 5 })).toHaveLength(5)
        const started = yield* tracker.list({ ...everything, states: ["In Progress"] })
        expect(started.map((t) => t.title).sort()).toEqual(["Add dark mode", "Speed up sync"])
        expect(started.every((t) => t.state.name === "In Progress" && t.state.type === "started")).toBe(true)
        const found = yield* tracker.list({ ...everything, search: "needle" })
        expect(found.map((t) => t.title)).toEqual(["Find the needle"])
      }))

    it.scopedLive("updatedSince lists only tickets changed at or after it, with the other filters still applied", () =>
      Effect.gen(function* () {
        const tracker = yield* make(contractSeed)
        const all = yield* tracker.list(everything)
        const times = all.map((t) => t.updatedAt).sort((a, b) => b - a)
        const [newest, , , cut] = times
        if (newest === undefined || cut === undefined) return expect.fail("seed too small")
        const since = (query: Partial<TicketQuery>) => tracker.list({ ...everything, updatedSince: new Date(cut), ...query })
        const recent = yield* since({})
        expect(recent.map((t) => t.id).sort()).toEqual(all.filter((t) => t.updatedAt >= cut).map((t) => t.id).sort())
        expect(recent).toHaveLength(4)
        const recentTodo = yield* since({ states: ["Todo"] })
        expect(recentTodo.map((t) => t.id).sort()).toEqual(recent.filter((t) => t.state.name === "Todo").map((t) => t.id).sort())
        expect(yield* since({ updatedSince: new Date(newest + 60_000) })).toEqual([])
        // A change to an old ticket moves it past the cut.
        const oldest = all.find((t) => t.updatedAt === times.at(-1))
        if (oldest === undefined) return expect.fail("seed too small")
        yield* tracker.updateDescription(oldest.id, "touched")
        expect((yield* since({})).map((t) => t.id)).toContain(oldest.id)
      }))

    it.scopedLive("gets one ticket by id and refuses an unknown one", () =>
      Effect.gen(function* () {
        const tracker = yield* make(contractSeed)
        const [first] = yield* tracker.list({ ...everything, search: "login" })
        expect(first).toBeDefined()
        if (first === undefined) return
        const got = yield* tracker.get(first.id)
        expect(got.title).toBe("Fix login redirect")
        expect(got.description).toBe("after OAuth")
        const unknown = yield* Effect.either(tracker.get(TicketId.make(`${provider}:999999`)))
        expect(Either.isLeft(unknown) && unknown.left._tag).toBe("TicketingError")
      }))

    it.scopedLive("creates a ticket that is then listed and readable", () =>
      Effect.gen(function* () {
        const tracker = yield* make(contractSeed)
        const created = yield* tracker.create({ title: "Brand new 🚀", description: "made by the contract", project: null })
        expect(created.id.startsWith(`${provider}:`)).toBe(true)
        expect((yield* tracker.get(created.id)).title).toBe("Brand new 🚀")
        const listed = yield* tracker.list({ ...everything, search: "brand new" })
        expect(listed.map((t) => t.id)).toEqual([created.id])
      }))

    it.scopedLive("moves a ticket through workflow_state_map and updates its description", () =>
      Effect.gen(function* () {
        const tracker = yield* make(contractSeed)
        const [ticket] = yield* tracker.list({ ...everything, search: "docs" })
        if (ticket === undefined) return expect.fail("seeded ticket missing")
        const moved = yield* tracker.updateState(ticket.id, "InReview")
        expect(moved.state.name).toBe("In Review")
        expect((yield* tracker.get(ticket.id)).state.name).toBe("In Review")
        const done = yield* tracker.updateState(ticket.id, "Done")
        expect(done.state).toMatchObject({ name: "Done", type: "completed" })
        yield* tracker.updateDescription(ticket.id, "new words ../ $(x)")
        expect((yield* tracker.get(ticket.id)).description).toBe("new words ../ $(x)")
      }))

    it.scopedLive("comments, links and health succeed", () =>
      Effect.gen(function* () {
        const tracker = yield* make(contractSeed)
        const [ticket] = yield* tracker.list({ ...everything, limit: 1 })
        if (ticket === undefined) return expect.fail("seeded ticket missing")
        yield* tracker.addComment(ticket.id, "Moved to review: PR #12")
        yield* tracker.attachLink(ticket.id, "https://github.com/acme/app/pull/12", "PR #12")
        expect(yield* tracker.health).toContain(provider)
      }))
  })
