import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

/** The scripted gh's state file. Field names are gh's own JSON names. */

export interface FakeCheck {
  readonly name: string
  readonly state: string
  readonly bucket: "pass" | "fail" | "pending" | "skipping" | "cancel"
  readonly link: string
  readonly workflow: string
}

export interface FakeComment {
  readonly id: number
  readonly body: string
  readonly path: string
  readonly line: number | null
  readonly user: { readonly login: string }
  readonly html_url: string
}

export interface FakePull {
  number: number
  url: string
  title: string
  body: string
  state: "OPEN" | "CLOSED" | "MERGED"
  isDraft: boolean
  mergeable: "MERGEABLE" | "CONFLICTING" | "UNKNOWN"
  mergeStateStatus: string
  reviewDecision: string
  headRefName: string
  headRefOid: string
  baseRefName: string
  mergedAt: string | null
  mergedWith?: string
  extraRollup?: Array<Record<string, unknown>>
  checks: Array<FakeCheck>
  comments: Array<FakeComment>
}

/** A GitHub issue in REST's shape (what `gh api repos/O/R/issues` prints), plus its comments. */
export interface FakeIssue {
  number: number
  title: string
  body: string | null
  html_url: string
  repository_url: string
  state: "open" | "closed"
  state_reason: string | null
  labels: Array<{ name: string }>
  assignee: { login: string } | null
  updated_at: string
  comments: Array<string>
}

/** One scripted failure of the next issue call. */
export type IssueFault = "rate-limit" | "server-error" | "unauthorized" | "malformed"

export interface FakeGhState {
  authenticated: boolean
  login: string
  owner: string
  repo: string
  nextNumber: number
  allowedMergeMethods: Array<"squash" | "merge" | "rebase">
  pulls: Array<FakePull>
  /** `gh pr list` answers nothing, as when GitHub's search lags. */
  listLags: boolean
  /** Checks pass and ready pull requests get approved on their own; merges fast-forward origin. */
  autopilot?: boolean
  calls: Array<Array<string>>
  issues?: Array<FakeIssue>
  /** The repository's labels: `gh issue edit --add-label` refuses any other. */
  labels?: Array<string>
  issueFaults?: Array<IssueFault>
}

export interface FakeGh {
  readonly dir: string
  /** A private copy of the script: configure it as `github.binary`. */
  readonly binary: string
  readonly stateFile: string
  readonly read: () => FakeGhState
  readonly update: (change: (state: FakeGhState) => void) => void
  readonly pull: (number: number) => FakePull
  /** Calls whose arguments start with these words, e.g. `["pr", "create"]`. */
  readonly calls: (...prefix: ReadonlyArray<string>) => ReadonlyArray<ReadonlyArray<string>>
}

const script = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "..", "..", "src", "programs", "demo", "scriptedGh.js")

export const initialGhState = (): FakeGhState => ({
  authenticated: true,
  login: "octo",
  owner: "acme",
  repo: "widgets",
  nextNumber: 1,
  allowedMergeMethods: ["squash", "merge", "rebase"],
  pulls: [],
  listLags: false,
  calls: []
})

/** A fresh scripted gh in its own temp dir, removed with the scope. */
export const fakeGh = (initial: Partial<FakeGhState> = {}) =>
  Effect.acquireRelease(
    Effect.sync((): FakeGh => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orch-gh-"))
      const binary = path.join(dir, "gh")
      fs.copyFileSync(script, binary)
      fs.chmodSync(binary, 0o755)
      const stateFile = path.join(dir, "state.json")
      const read = (): FakeGhState => JSON.parse(fs.readFileSync(stateFile, "utf8")) as FakeGhState
      const write = (state: FakeGhState) => fs.writeFileSync(stateFile, JSON.stringify(state, null, 2))
      write({ ...initialGhState(), ...initial })
      const update = (change: (state: FakeGhState) => void) => {
        const state = read()
        change(state)
        write(state)
      }
      const pull = (number: number): FakePull => {
        const found = read().pulls.find((p) => p.number === number)
        if (found === undefined) throw new Error(`fake gh: no pull request #${number}`)
        return found
      }
      const calls = (...prefix: ReadonlyArray<string>) =>
        read().calls.filter((call) => prefix.every((word, index) => call[index] === word))
      return { dir, binary, stateFile, read, update, pull, calls }
    }),
    (gh) => Effect.sync(() => fs.rmSync(gh.dir, { recursive: true, force: true }))
  )

const check = (name: string, bucket: FakeCheck["bucket"], number: number): FakeCheck => ({
  name,
  state: { pass: "SUCCESS", fail: "FAILURE", pending: "IN_PROGRESS", skipping: "SKIPPED", cancel: "CANCELLED" }[bucket],
  bucket,
  link: `https://github.com/acme/widgets/actions/runs/${number}/job/${name}`,
  workflow: "CI"
})

/** The scripted life of a pull request, one stage at a time. */
export type Stage =
  | "checksPending"
  | "checksFailing"
  | "checksPassing"
  | "changesRequested"
  | "approved"
  | "mergedOutside"
  | "closed"

export const setStage = (gh: FakeGh, number: number, stage: Stage): void =>
  gh.update((state) => {
    const p = state.pulls.find((candidate) => candidate.number === number)
    if (p === undefined) throw new Error(`fake gh: no pull request #${number}`)
    switch (stage) {
      case "checksPending":
        p.checks = [check("build", "pending", number), check("test", "pending", number)]
        break
      case "checksFailing":
        p.checks = [check("build", "pass", number), check("test", "fail", number)]
        p.mergeStateStatus = "UNSTABLE"
        break
      case "checksPassing":
        p.checks = [check("build", "pass", number), check("test", "pass", number)]
        p.mergeStateStatus = p.isDraft ? "DRAFT" : "BLOCKED"
        p.reviewDecision = p.isDraft ? "" : "REVIEW_REQUIRED"
        break
      case "changesRequested":
        p.reviewDecision = "CHANGES_REQUESTED"
        p.comments.push({
          id: 1000 + p.comments.length,
          body: "Please handle the empty input case.",
          path: "src/greet.ts",
          line: 3,
          user: { login: "reviewer" },
          html_url: `${p.url}#discussion_r${1000 + p.comments.length}`
        })
        break
      case "approved":
        p.reviewDecision = "APPROVED"
        p.mergeStateStatus = "CLEAN"
        break
      case "mergedOutside":
        p.state = "MERGED"
        p.mergedAt = "2026-01-03T00:00:00Z"
        break
      case "closed":
        p.state = "CLOSED"
        break
    }
  })

/** The agent pushed a new commit: the head moves. */
export const pushHead = (gh: FakeGh, number: number, sha: string): void =>
  gh.update((state) => {
    const p = state.pulls.find((candidate) => candidate.number === number)
    if (p !== undefined) p.headRefOid = sha
  })

/** An issue of acme/widgets, assigned to the fake's login unless `mine` is false. */
export const fakeIssue = (
  number: number,
  options: { title?: string; body?: string; labels?: ReadonlyArray<string>; mine?: boolean; closed?: "completed" | "not_planned" } = {}
): FakeIssue => ({
  number,
  title: options.title ?? `Issue number ${number}`,
  body: options.body ?? `Body of issue ${number}`,
  html_url: `https://github.com/acme/widgets/issues/${number}`,
  repository_url: "https://api.github.com/repos/acme/widgets",
  state: options.closed === undefined ? "open" : "closed",
  state_reason: options.closed ?? null,
  labels: (options.labels ?? []).map((name) => ({ name })),
  assignee: options.mine === false ? { login: "someone-else" } : { login: "octo" },
  updated_at: new Date(Date.UTC(2025, 0, 1) + number * 60_000).toISOString(),
  comments: []
})
