import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { makeRepoHostTest } from "../../../src/layers/repoHost/RepoHostTest.js"
import { RepoHost } from "../../../src/services/RepoHost.js"
import { fakeGh } from "../../fakes/gh/ghState.js"
import { ghLayer } from "./ghLayer.js"

/** What every RepoHost must do, whichever Layer: the gh one (on the scripted gh) and the in-memory one. */
const contract = (host: RepoHost["Type"], repoPath: string) =>
  Effect.gen(function* () {
    const request = { repoPath, head: "orch/ENG-1-x", base: "main", title: "ENG-1: x", body: "body" }
    const opened = yield* host.createDraft(request)
    expect(opened.reused).toBe(false)
    expect(yield* host.createDraft(request)).toEqual({ ...opened, reused: true })
    expect(Option.map(yield* host.findByHead(repoPath, request.head), (ref) => ref.number)).toEqual(Option.some(opened.number))

    const draft = yield* host.view(repoPath, opened.number)
    expect(draft).toMatchObject({ state: "OPEN", isDraft: true, headRefName: request.head, baseRefName: "main", mergedAt: null })
    expect(yield* host.checks(repoPath, opened.number)).toEqual([])
    expect(yield* host.reviewComments(repoPath, opened.number)).toEqual([])

    expect((yield* Effect.flip(host.merge({ repoPath, number: opened.number, headSha: draft.headRefOid }))).message).toContain("draft")
    yield* host.markReady(repoPath, opened.number)
    expect((yield* host.view(repoPath, opened.number)).isDraft).toBe(false)

    const moved = yield* Effect.flip(host.merge({ repoPath, number: opened.number, headSha: "f".repeat(40) }))
    expect(moved.message).toContain("Head branch was modified")
    expect(yield* host.merge({ repoPath, number: opened.number, headSha: draft.headRefOid })).toBe("merge")
    expect((yield* host.view(repoPath, opened.number)).state).toBe("MERGED")
    expect(yield* host.findByHead(repoPath, request.head)).toEqual(Option.none())
    expect((yield* Effect.flip(host.view(repoPath, 42))).message).toContain("Could not resolve to a PullRequest")
  })

describe("RepoHost contract", () => {
  it.scoped("gh Layer on the scripted gh", () =>
    Effect.gen(function* () {
      const gh = yield* fakeGh({ allowedMergeMethods: ["merge"] })
      const host = yield* Effect.provide(RepoHost, ghLayer(gh))
      yield* contract(host, gh.dir)
    }))

  it.effect("in-memory test Layer", () =>
    Effect.gen(function* () {
      const { service, control } = yield* makeRepoHostTest({ allowedMethods: ["merge"] })
      yield* contract(service, "/repo")
      expect((yield* control.pulls).map((pull) => pull.mergedWith)).toEqual(["merge"])
    }))
})
