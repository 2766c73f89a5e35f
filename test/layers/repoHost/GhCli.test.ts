import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { RepoHost } from "../../../src/services/RepoHost.js"
import { fakeGh, setStage } from "../../fakes/gh/ghState.js"
import { git, gitFixture } from "../vcs/gitFixture.js"
import { ghLayer } from "./ghLayer.js"

describe("gh Layer against the scripted gh", () => {
  it.scoped("auth status: the account line, or a typed auth error", () =>
    Effect.gen(function* () {
      const gh = yield* fakeGh()
      const host = yield* Effect.provide(RepoHost, ghLayer(gh))
      expect(yield* host.authStatus).toBe("✓ Logged in to github.com account octo (keyring)")
      gh.update((state) => {
        state.authenticated = false
      })
      expect((yield* Effect.flip(host.authStatus))._tag).toBe("RepoHostAuthError")
      // Exit code 4 from any other command is an auth error too, with the fix in the message.
      const viewing = yield* Effect.flip(host.view(gh.dir, 1))
      expect(viewing._tag).toBe("RepoHostAuthError")
      expect(viewing.message).toContain("gh auth login")
    }))

  it.scoped("creates a draft once; the existing pull request is reused, not duplicated", () =>
    Effect.gen(function* () {
      const fixture = yield* gitFixture
      const gh = yield* fakeGh()
      const host = yield* Effect.provide(RepoHost, ghLayer(gh))
      git(fixture.repo, "checkout", "--quiet", "-b", "orch/ENG-1-x")
      const sha = git(fixture.repo, "rev-parse", "HEAD").trim()
      const title = "ENG-1: $(touch PWNED) `id` ; rm -rf ~"
      const request = { repoPath: fixture.repo, head: "orch/ENG-1-x", base: "main", title, body: "Body with --flags\nand lines" }
      const first = yield* host.createDraft(request)
      expect(first).toEqual({ number: 1, url: "https://github.com/acme/widgets/pull/1", reused: false })
      const again = yield* host.createDraft(request)
      expect(again).toEqual({ ...first, reused: true })
      expect(gh.calls("pr", "create")).toHaveLength(1)
      const pull = gh.pull(1)
      expect(pull).toMatchObject({ title, body: request.body, isDraft: true, headRefOid: sha, baseRefName: "main" })
      expect(fs.existsSync(path.join(fixture.repo, "PWNED"))).toBe(false)
    }))

  it.scoped("an 'already exists' answer from create yields the existing pull request", () =>
    Effect.gen(function* () {
      const gh = yield* fakeGh()
      const host = yield* Effect.provide(RepoHost, ghLayer(gh))
      const request = { repoPath: gh.dir, head: "b", base: "main", title: "t", body: "" }
      yield* host.createDraft(request)
      gh.update((state) => {
        state.listLags = true
      })
      expect(yield* host.findByHead(gh.dir, "b")).toEqual(Option.none())
      expect(yield* host.createDraft(request)).toEqual({ number: 1, url: "https://github.com/acme/widgets/pull/1", reused: true })
      expect(gh.read().pulls).toHaveLength(1)
    }))

  it.scoped("find by head sees only open pull requests", () =>
    Effect.gen(function* () {
      const gh = yield* fakeGh()
      const host = yield* Effect.provide(RepoHost, ghLayer(gh))
      yield* host.createDraft({ repoPath: gh.dir, head: "b", base: "main", title: "t", body: "" })
      expect(Option.map(yield* host.findByHead(gh.dir, "b"), (p) => p.number)).toEqual(Option.some(1))
      setStage(gh, 1, "closed")
      expect(yield* host.findByHead(gh.dir, "b")).toEqual(Option.none())
    }))

  it.scoped("view, checks and review comments decode gh's JSON", () =>
    Effect.gen(function* () {
      const gh = yield* fakeGh()
      const host = yield* Effect.provide(RepoHost, ghLayer(gh))
      const { number } = yield* host.createDraft({ repoPath: gh.dir, head: "b", base: "main", title: "t", body: "" })
      expect(yield* host.checks(gh.dir, number)).toEqual([])
      setStage(gh, number, "checksFailing")
      const view = yield* host.view(gh.dir, number)
      expect(view).toMatchObject({ number, state: "OPEN", isDraft: true, reviewDecision: "", mergedAt: null })
      expect(view.statusCheckRollup.map((entry) => ("conclusion" in entry ? entry.conclusion : entry.__typename))).toEqual([
        "SUCCESS",
        "FAILURE"
      ])
      const checks = yield* host.checks(gh.dir, number)
      expect(checks.map((c) => [c.name, c.bucket])).toEqual([["build", "pass"], ["test", "fail"]])
      expect(checks[1]?.link).toContain("/actions/runs/")
      setStage(gh, number, "changesRequested")
      const comments = yield* host.reviewComments(gh.dir, number)
      expect(comments.map((c) => [c.user.login, c.path, c.line, c.body])).toEqual([
        ["reviewer", "src/greet.ts", 3, "Please handle the empty input case."]
      ])
      expect(gh.calls("api")[0]).toEqual(["api", `repos/{owner}/{repo}/pulls/${number}/comments`, "--paginate", "--jq=.[]"])
    }))

  it.scoped("rollup kinds it does not know are tolerated; an answer that does not decode is a typed error quoting it", () =>
    Effect.gen(function* () {
      const gh = yield* fakeGh()
      const host = yield* Effect.provide(RepoHost, ghLayer(gh))
      const { number } = yield* host.createDraft({ repoPath: gh.dir, head: "b", base: "main", title: "t", body: "" })
      gh.update((state) => {
        state.pulls[0]!.extraRollup = [
          { __typename: "StatusContext", context: "ci/legacy", state: "SUCCESS", targetUrl: "https://ci.example/1" },
          { __typename: "SomethingNew", whatever: 1 }
        ]
      })
      const tolerant = yield* host.view(gh.dir, number)
      expect(tolerant.statusCheckRollup.map((entry) => entry.__typename)).toEqual(["StatusContext", "SomethingNew"])
      gh.update((state) => {
        state.pulls[0]!.mergeable = "SOMETIMES" as "UNKNOWN"
      })
      const error = yield* Effect.flip(host.view(gh.dir, number))
      expect(error._tag).toBe("RepoHostDecodeError")
      expect(error.message).toContain("SOMETIMES")
      const missing = yield* Effect.flip(host.view(gh.dir, 99))
      expect(missing.message).toContain("Could not resolve to a PullRequest")
    }))

  it.scoped("mark ready, then merge with fallback and --match-head-commit", () =>
    Effect.gen(function* () {
      const gh = yield* fakeGh({ allowedMergeMethods: ["rebase"] })
      const host = yield* Effect.provide(RepoHost, ghLayer(gh, { merge_strategy: "squash" }))
      const { number } = yield* host.createDraft({ repoPath: gh.dir, head: "b", base: "main", title: "t", body: "" })
      yield* host.markReady(gh.dir, number)
      expect(gh.pull(number).isDraft).toBe(false)
      const head = gh.pull(number).headRefOid

      const moved = yield* Effect.flip(host.merge({ repoPath: gh.dir, number, headSha: "f".repeat(40) }))
      expect(moved.message).toContain("Head branch was modified")
      expect(gh.pull(number).state).toBe("OPEN")

      expect(yield* host.merge({ repoPath: gh.dir, number, headSha: head })).toBe("rebase")
      expect(gh.pull(number)).toMatchObject({ state: "MERGED", mergedWith: "rebase" })
      const merges = gh.calls("pr", "merge").slice(-3)
      expect(merges.map((call) => call[3])).toEqual(["--squash", "--merge", "--rebase"])
      expect(merges.every((call) => call.includes(`--match-head-commit=${head}`))).toBe(true)
    }))

  it.scoped("gh found on PATH when github.binary is the bare name", () =>
    Effect.gen(function* () {
      const gh = yield* fakeGh()
      // Only this test file's worker process sees the change, and it is undone with the scope.
      yield* Effect.acquireRelease(
        Effect.sync(() => {
          const saved = process.env.PATH
          process.env.PATH = `${gh.dir}${path.delimiter}${saved ?? ""}`
          return saved
        }),
        (saved) =>
          Effect.sync(() => {
            process.env.PATH = saved
          })
      )
      const host = yield* Effect.provide(RepoHost, ghLayer(gh, { binary: "gh" }))
      expect(yield* host.authStatus).toContain("account octo")
      expect(gh.calls("auth", "status")).toHaveLength(1)
    }))
})
