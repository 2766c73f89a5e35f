import { Effect, Layer, Option, Ref } from "effect"
import { RepoHostError } from "../../domain/vcsErrors.js"
import { type CheckResult, type MergeMethod, PullRequest, PullRequestRef, type ReviewComment } from "../../domain/vcsPullRequest.js"
import { type DraftRequest, type MergeRequest, RepoHost } from "../../services/RepoHost.js"
import { mergeOrder } from "./ghOutput.js"

/** One pull request of the in-memory host, with what `gh` would report about it. */
export interface TestPull {
  readonly pr: PullRequest
  readonly title: string
  readonly body: string
  readonly checks: ReadonlyArray<CheckResult>
  readonly comments: ReadonlyArray<ReviewComment>
  readonly mergedWith: MergeMethod | null
}

export interface RepoHostTestOptions {
  readonly preferredMethod?: MergeMethod
  readonly allowedMethods?: ReadonlyArray<MergeMethod>
  /** Head commit given to new pull requests (the test Layer has no git). */
  readonly headSha?: string
}

/** Scripting and inspection handle of the in-memory host. */
export interface RepoHostTestControl {
  readonly pulls: Effect.Effect<ReadonlyArray<TestPull>>
  readonly update: (number: number, change: (pull: TestPull) => TestPull) => Effect.Effect<void>
}

const BASE_URL = "https://github.com/test/repo/pull/"

/**
 * An in-memory code host for program tests, with the gh Layer's rules: one open pull request per
 * branch, `--match-head-commit`, merge-method fallback. The gh Layer itself is tested against
 * the scripted gh; this one is for tests of the programs above it.
 */
export const makeRepoHostTest = (options: RepoHostTestOptions = {}) =>
  Effect.gen(function* () {
    const pulls = yield* Ref.make<ReadonlyArray<TestPull>>([])
    const allowed = options.allowedMethods ?? ["squash", "merge", "rebase"]
    const fail = (operation: string, detail: string) => new RepoHostError({ operation, exitCode: 1, detail })

    const find = (operation: string, number: number) =>
      Effect.flatMap(Ref.get(pulls), (all) =>
        Option.match(Option.fromNullable(all.find((pull) => pull.pr.number === number)), {
          onNone: () => Effect.fail(fail(operation, `Could not resolve to a PullRequest with the number of ${number}.`)),
          onSome: Effect.succeed
        })
      )

    const update = (number: number, change: (pull: TestPull) => TestPull) =>
      Ref.update(pulls, (all) => all.map((pull) => (pull.pr.number === number ? change(pull) : pull)))

    const withPr = (pull: TestPull, fields: Partial<ConstructorParameters<typeof PullRequest>[0]>): TestPull => ({
      ...pull,
      pr: new PullRequest({ ...pull.pr, ...fields })
    })

    const findByHead = (_repoPath: string, branch: string) =>
      Effect.map(Ref.get(pulls), (all) =>
        Option.map(
          Option.fromNullable(all.find((pull) => pull.pr.headRefName === branch && pull.pr.state === "OPEN")),
          (pull) => new PullRequestRef({ number: pull.pr.number, url: pull.pr.url })
        )
      )

    const createDraft = (request: DraftRequest) =>
      Effect.gen(function* () {
        const existing = yield* findByHead(request.repoPath, request.head)
        if (Option.isSome(existing)) return { number: existing.value.number, url: existing.value.url, reused: true }
        const number = (yield* Ref.get(pulls)).length + 1
        const pr = new PullRequest({
          number,
          url: `${BASE_URL}${number}`,
          state: "OPEN",
          isDraft: true,
          mergeable: "MERGEABLE",
          mergeStateStatus: "DRAFT",
          reviewDecision: "",
          statusCheckRollup: [],
          headRefName: request.head,
          headRefOid: options.headSha ?? "0".repeat(40),
          baseRefName: request.base,
          mergedAt: null
        })
        yield* Ref.update(pulls, (all) => [...all, { pr, title: request.title, body: request.body, checks: [], comments: [], mergedWith: null }])
        return { number, url: pr.url, reused: false }
      })

    const merge = (request: MergeRequest) =>
      Effect.gen(function* () {
        const pull = yield* find("pr merge", request.number)
        if (pull.pr.state !== "OPEN") return yield* fail("pr merge", `Pull request #${request.number} was already ${pull.pr.state.toLowerCase()}`)
        if (pull.pr.headRefOid !== request.headSha) return yield* fail("pr merge", "Head branch was modified. Review and try the merge again.")
        if (pull.pr.isDraft) return yield* fail("pr merge", "Pull Request is still a draft")
        const method = mergeOrder(options.preferredMethod ?? "squash").find((candidate) => allowed.includes(candidate))
        if (method === undefined) return yield* fail("pr merge", "Merge method merging is not allowed on this repository")
        yield* update(request.number, (current) => ({ ...withPr(current, { state: "MERGED", mergedAt: "2026-01-01T00:00:00Z" }), mergedWith: method }))
        return method
      })

    const service = RepoHost.of({
      authStatus: Effect.succeed("✓ Logged in to github.com account test (memory)"),
      createDraft,
      findByHead,
      view: (_repoPath, number) => Effect.map(find("pr view", number), (pull) => pull.pr),
      checks: (_repoPath, number) => Effect.map(find("pr checks", number), (pull) => pull.checks),
      markReady: (_repoPath, number) =>
        Effect.flatMap(find("pr ready", number), () => update(number, (pull) => withPr(pull, { isDraft: false, mergeStateStatus: "BLOCKED" }))),
      merge,
      reviewComments: (_repoPath, number) => Effect.map(find("api pulls/comments", number), (pull) => pull.comments)
    })
    const control: RepoHostTestControl = { pulls: Ref.get(pulls), update }
    return { service, control }
  })

/** The in-memory host as a Layer; use `makeRepoHostTest` directly to also get its control handle. */
export const RepoHostTest = (options: RepoHostTestOptions = {}) =>
  Layer.effect(RepoHost, Effect.map(makeRepoHostTest(options), (made) => made.service))
