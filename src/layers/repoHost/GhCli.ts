import { CommandExecutor, FileSystem } from "@effect/platform"
import { Effect, Layer, Option, Schema } from "effect"
import * as NodePath from "node:path"
import { BinaryUnavailable } from "../../domain/errors.js"
import { RepoHostAuthError, RepoHostDecodeError, RepoHostError } from "../../domain/vcsErrors.js"
import {
  CheckResult,
  checkFields,
  PullRequest,
  PullRequestRef,
  pullRequestNumberFromUrl,
  pullRequestViewFields,
  ReviewComment
} from "../../domain/vcsPullRequest.js"
import { AppConfig } from "../../services/AppConfig.js"
import type { ProcessOutput } from "../../services/ProcessRunner.js"
import { type DraftRequest, type MergeRequest, RepoHost } from "../../services/RepoHost.js"
import { detailOf, runProcess } from "../process/runProcess.js"
import { mergeOrder, parseExistingPullRequest } from "./ghOutput.js"

const GH_TIMEOUT = "2 minutes"

/** No prompts, no pager, no colour, no update notice: gh is driven, not used. */
export const GH_ENV = { GH_PROMPT_DISABLED: "1", GH_NO_UPDATE_NOTIFIER: "1", NO_COLOR: "1", GH_PAGER: "cat", PAGER: "cat" }

const EXIT_AUTH = 4
const EXIT_PENDING = 8

const quote = (text: string): string => (text.length > 300 ? `${text.slice(0, 300)}...` : text)

export const make = Effect.gen(function* () {
  const config = yield* AppConfig
  const executor = yield* CommandExecutor.CommandExecutor
  const fs = yield* FileSystem.FileSystem
  const binary = config.settings.github.binary
  const strategy = config.settings.github.merge_strategy

  const exec = (operation: string, cwd: string, args: ReadonlyArray<string>) =>
    runProcess({ binary, args, cwd, env: GH_ENV, timeout: GH_TIMEOUT }).pipe(
      Effect.provideService(CommandExecutor.CommandExecutor, executor),
      Effect.mapError((failure) =>
        failure.reason === "spawn"
          ? new BinaryUnavailable({ configKey: "github.binary", binary, reason: `cannot run it: ${failure.detail}` })
          : new RepoHostError({ operation, exitCode: failure.exitCode ?? -1, detail: failure.message })
      )
    )

  const failure = (operation: string, output: ProcessOutput) =>
    output.exitCode === EXIT_AUTH
      ? new RepoHostAuthError({ operation, detail: detailOf(output) })
      : new RepoHostError({ operation, exitCode: output.exitCode, detail: detailOf(output) })

  /** Runs gh; a non-zero exit is a typed error. */
  const gh = (operation: string, cwd: string, args: ReadonlyArray<string>) =>
    Effect.flatMap(exec(operation, cwd, args), (output) =>
      output.exitCode === 0 ? Effect.succeed(output.stdout) : Effect.fail(failure(operation, output))
    )

  const decode = <A, I>(operation: string, schema: Schema.Schema<A, I>, text: string) =>
    Effect.try({
      try: (): unknown => JSON.parse(text),
      catch: () => new RepoHostDecodeError({ operation, received: quote(text), detail: "not JSON" })
    }).pipe(
      Effect.flatMap((json) =>
        Schema.decodeUnknown(schema)(json).pipe(
          Effect.mapError((error) => new RepoHostDecodeError({ operation, received: quote(text), detail: error.message }))
        )
      )
    )

  const authStatus = Effect.gen(function* () {
    const output = yield* exec("auth status", process.cwd(), ["auth", "status"])
    const text = `${output.stdout}\n${output.stderr}`.trim()
    if (output.exitCode !== 0) return yield* new RepoHostAuthError({ operation: "auth status", detail: quote(text) })
    const account = text.split("\n").find((line) => line.includes("Logged in"))
    return account === undefined ? quote(text) : account.trim()
  })

  const findByHead = (repoPath: string, branch: string) =>
    gh("pr list", repoPath, ["pr", "list", `--head=${branch}`, "--state=open", "--json=number,url"]).pipe(
      Effect.flatMap((text) => decode("pr list", Schema.Array(PullRequestRef), text)),
      Effect.map((found) => Option.fromNullable(found[0]))
    )

  const view = (repoPath: string, number: number) =>
    gh("pr view", repoPath, ["pr", "view", String(number), `--json=${pullRequestViewFields.join(",")}`]).pipe(
      Effect.flatMap((text) => decode("pr view", PullRequest, text))
    )

  const opened = (url: string, reused: boolean) =>
    Option.match(pullRequestNumberFromUrl(url), {
      onNone: () => Effect.fail(new RepoHostDecodeError({ operation: "pr create", received: quote(url), detail: "no pull request URL" })),
      onSome: (number) => Effect.succeed({ number, url, reused })
    })

  /** Idempotent: an open pull request for the branch is returned, never duplicated. */
  const createDraft = (request: DraftRequest) =>
    Effect.gen(function* () {
      const existing = yield* findByHead(request.repoPath, request.head)
      if (Option.isSome(existing)) return { number: existing.value.number, url: existing.value.url, reused: true }
      const output = yield* Effect.scoped(
        Effect.gen(function* () {
          const dir = yield* fs
            .makeTempDirectoryScoped({ prefix: "orchestrator-pr-" })
            .pipe(Effect.mapError((error) => new RepoHostError({ operation: "pr create", exitCode: -1, detail: error.message })))
          const bodyFile = NodePath.join(dir, "body.md")
          yield* fs
            .writeFileString(bodyFile, request.body)
            .pipe(Effect.mapError((error) => new RepoHostError({ operation: "pr create", exitCode: -1, detail: error.message })))
          return yield* exec("pr create", request.repoPath, [
            "pr",
            "create",
            "--draft",
            `--title=${request.title}`,
            `--body-file=${bodyFile}`,
            `--head=${request.head}`,
            `--base=${request.base}`
          ])
        })
      )
      if (output.exitCode === 0) return yield* opened(output.stdout.trim().split("\n").pop() ?? "", false)
      // Raced with another creator (or the list lagged): gh names the existing one.
      const raced = parseExistingPullRequest(output.stderr)
      if (Option.isSome(raced)) return yield* opened(raced.value, true)
      return yield* failure("pr create", output)
    })

  const checks = (repoPath: string, number: number) =>
    Effect.gen(function* () {
      const output = yield* exec("pr checks", repoPath, ["pr", "checks", String(number), `--json=${checkFields.join(",")}`])
      // With --json gh exits 0 whatever the checks say; "no checks reported" is its exit 1.
      // Exit 8 ("pending") is accepted too, in case a gh version keeps it with --json.
      if (output.exitCode !== 0 && output.exitCode !== EXIT_PENDING) {
        if (/no checks reported/i.test(output.stderr)) return []
        return yield* failure("pr checks", output)
      }
      return yield* decode("pr checks", Schema.Array(CheckResult), output.stdout)
    })

  const markReady = (repoPath: string, number: number) => Effect.asVoid(gh("pr ready", repoPath, ["pr", "ready", String(number)]))

  const merge = (request: MergeRequest) =>
    Effect.gen(function* () {
      const methods = mergeOrder(strategy)
      for (const [index, method] of methods.entries()) {
        const output = yield* exec("pr merge", request.repoPath, [
          "pr",
          "merge",
          String(request.number),
          `--${method}`,
          `--match-head-commit=${request.headSha}`
        ])
        if (output.exitCode === 0) return method
        const notAllowed = /merge method .* not allowed|merges are not allowed|not allowed on this repository/i.test(output.stderr)
        if (!notAllowed || index === methods.length - 1) return yield* failure("pr merge", output)
      }
      return yield* new RepoHostError({ operation: "pr merge", exitCode: -1, detail: "no merge method to try" })
    })

  const reviewComments = (repoPath: string, number: number) =>
    gh("api", repoPath, ["api", `repos/{owner}/{repo}/pulls/${number}/comments`, "--paginate", "--jq=.[]"]).pipe(
      // --jq prints one compact JSON value per line, across all pages.
      Effect.flatMap((text) =>
        Effect.forEach(
          text.split("\n").filter((line) => line.trim() !== ""),
          (line) => decode("api pulls/comments", ReviewComment, line)
        )
      )
    )

  return RepoHost.of({
    authStatus,
    createDraft,
    findByHead,
    view,
    checks,
    markReady,
    merge,
    reviewComments
  })
})

/** `vcs_repos.github_gh_cli`: needs a CommandExecutor and a FileSystem (NodeContext.layer). */
export const GhCliLive = Layer.effect(RepoHost, make)
