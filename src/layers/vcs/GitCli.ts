import { CommandExecutor, FileSystem } from "@effect/platform"
import { Clock, Effect, Either, Layer, Option } from "effect"
import * as NodePath from "node:path"
import { BinaryUnavailable } from "../../domain/errors.js"
import { GitError, UnsafePath } from "../../domain/vcsErrors.js"
import { branchName, branchStem, repoDirName, worktreeLeaf } from "../../domain/vcsNames.js"
import { checkBranchDeletion, checkCleanTree, checkDeletion, checkForcePush } from "../../domain/vcsSafety.js"
import { AppConfig } from "../../services/AppConfig.js"
import type { ProcessOutput } from "../../services/ProcessRunner.js"
import { type RemoveRequest, Vcs, type WorktreeRequest } from "../../services/Vcs.js"
import { runProcess } from "../process/runProcess.js"
import { discoverRepositories } from "./discover.js"
import { parseStatus, parseWorktreeList } from "./gitParse.js"

const GIT_TIMEOUT = "2 minutes"

/** Never prompt for credentials; messages in English so errors read the same everywhere. */
const GIT_ENV = { GIT_TERMINAL_PROMPT: "0", LC_ALL: "C", GIT_OPTIONAL_LOCKS: "0" }

/** The identity of commits orchestrator makes by itself (saved work), not the person's. */
const WIP_IDENTITY = {
  GIT_AUTHOR_NAME: "orchestrator",
  GIT_AUTHOR_EMAIL: "orchestrator@localhost",
  GIT_COMMITTER_NAME: "orchestrator",
  GIT_COMMITTER_EMAIL: "orchestrator@localhost"
}

const firstLine = (output: ProcessOutput): string =>
  (output.stderr.trim() || output.stdout.trim()).split("\n").slice(0, 3).join(" ").slice(0, 500)

const fromEither = <A, E>(either: Either.Either<A, E>): Effect.Effect<A, E> =>
  Either.isRight(either) ? Effect.succeed(either.right) : Effect.fail(either.left)

/** A ref or branch given by a caller must never be read by git as an option. */
const refArgument = (operation: string, ref: string): Effect.Effect<string, GitError> =>
  ref === "" || ref.startsWith("-")
    ? Effect.fail(new GitError({ operation, detail: `"${ref}" is not a valid ref` }))
    : Effect.succeed(ref)

export const make = Effect.gen(function* () {
  const config = yield* AppConfig
  const executor = yield* CommandExecutor.CommandExecutor
  const fs = yield* FileSystem.FileSystem
  const settings = config.settings.git
  const binary = settings.binary

  /** Runs git; the exit code is the caller's to judge. */
  const exec = (cwd: string, args: ReadonlyArray<string>, env: Readonly<Record<string, string>> = {}) =>
    runProcess({ binary, args, cwd, env: { ...GIT_ENV, ...env }, timeout: GIT_TIMEOUT }).pipe(
      Effect.provideService(CommandExecutor.CommandExecutor, executor),
      Effect.mapError((failure) =>
        failure.reason === "spawn"
          ? new BinaryUnavailable({ configKey: "git.binary", binary, reason: `cannot run it: ${failure.detail}` })
          : new GitError({ operation: args[0] ?? "", detail: failure.message })
      )
    )

  /** Runs git and fails with its message on a non-zero exit. */
  const git = (cwd: string, args: ReadonlyArray<string>, env: Readonly<Record<string, string>> = {}) =>
    Effect.flatMap(exec(cwd, args, env), (output) =>
      output.exitCode === 0
        ? Effect.succeed(output.stdout)
        : Effect.fail(new GitError({ operation: args.slice(0, 2).join(" "), detail: firstLine(output) }))
    )

  const succeeds = (cwd: string, args: ReadonlyArray<string>) => Effect.map(exec(cwd, args), (output) => output.exitCode === 0)

  const refExists = (cwd: string, ref: string) => succeeds(cwd, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])

  const defaultBranch = (repo: string) =>
    Effect.gen(function* () {
      const remoteHead = yield* exec(repo, ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"])
      if (remoteHead.exitCode === 0) return remoteHead.stdout.trim().replace(/^origin\//, "")
      return (yield* git(repo, ["symbolic-ref", "--short", "HEAD"])).trim()
    })

  /** Prefer the remote's copy of the base: it is what the pull request targets. */
  const baseRef = (cwd: string, base: string) =>
    Effect.map(refExists(cwd, `refs/remotes/origin/${base}`), (remote) => (remote ? `refs/remotes/origin/${base}` : `refs/heads/${base}`))

  const worktrees = (repo: string) => Effect.map(git(repo, ["worktree", "list", "--porcelain", "-z"]), parseWorktreeList)

  const realRoot = Effect.gen(function* () {
    const root = NodePath.resolve(config.settings.worktrees_root)
    yield* fs.makeDirectory(root, { recursive: true })
    return yield* fs.realPath(root)
  }).pipe(Effect.mapError((error) => new GitError({ operation: "worktree add", detail: `worktrees_root: ${error.message}` })))

  const ensureWorktree = (request: WorktreeRequest) =>
    Effect.gen(function* () {
      const repo = NodePath.resolve(request.repoPath)
      const base = Option.isSome(request.baseBranch)
        ? yield* refArgument("worktree add", request.baseBranch.value)
        : yield* defaultBranch(repo)
      const stem = `refs/heads/${branchStem(settings.branch_prefix, request.ticketKey)}`
      // Forget worktrees whose directory is gone (deleted by hand): their branch is re-checked-out below.
      yield* git(repo, ["worktree", "prune"])
      const existing = (yield* worktrees(repo)).find((tree) => tree.branch?.startsWith(stem) === true)
      if (existing?.branch !== undefined) {
        const branch = existing.branch.slice("refs/heads/".length)
        return { repoPath: repo, path: existing.path, branch, baseBranch: base, reused: true }
      }
      const root = yield* realRoot
      const path = NodePath.resolve(root, repoDirName(repo), worktreeLeaf(request.ticketKey, request.title))
      if (!path.startsWith(root + NodePath.sep)) return yield* new UnsafePath({ path, root })
      // A branch of this ticket without a worktree (removed earlier): check it out again, keep its commits.
      const known = (yield* git(repo, ["for-each-ref", "--format=%(refname:short)", `${stem}*`])).split("\n").filter((b) => b !== "")
      const reusedBranch = known[0]
      if (reusedBranch !== undefined) {
        yield* git(repo, ["worktree", "add", path, reusedBranch])
        return { repoPath: repo, path, branch: reusedBranch, baseBranch: base, reused: true }
      }
      const branch = branchName(settings.branch_prefix, request.ticketKey, request.title)
      const start = yield* baseRef(repo, base)
      yield* git(repo, ["worktree", "add", "--no-track", "-b", branch, path, start])
      return { repoPath: repo, path, branch, baseBranch: base, reused: false }
    })

  const status = (path: string) =>
    Effect.map(git(path, ["status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all"]), (output) => {
      const parsed = parseStatus(output)
      return {
        branch: parsed.branch,
        headSha: parsed.headSha,
        dirtyFiles: parsed.dirtyFiles,
        upstream: Option.fromNullable(parsed.upstream),
        ahead: parsed.ahead,
        behind: parsed.behind
      }
    })

  /**
   * A tree of everything in the worktree (untracked files too), built in a private index so the
   * person's staging area is untouched.
   */
  const snapshotTree = (path: string) =>
    Effect.scoped(
      Effect.gen(function* () {
        const dir = yield* fs
          .makeTempDirectoryScoped({ prefix: "orchestrator-index-" })
          .pipe(Effect.mapError((error) => new GitError({ operation: "snapshot", detail: error.message })))
        const env = { GIT_INDEX_FILE: NodePath.join(dir, "index") }
        yield* git(path, ["read-tree", "HEAD"], env)
        yield* git(path, ["add", "-A"], env)
        return (yield* git(path, ["write-tree"], env)).trim()
      })
    )

  /** Saves uncommitted work as a commit under `refs/orchestrator/wip/<branch>/<millis>`. */
  const saveWork = (path: string, branch: string) =>
    Effect.gen(function* () {
      const tree = yield* snapshotTree(path)
      const message = `orchestrator: uncommitted work saved before removing the worktree ${path}`
      const commit = (yield* git(path, ["commit-tree", tree, "-p", "HEAD", "-m", message], WIP_IDENTITY)).trim()
      const ref = `refs/orchestrator/wip/${branch === "" ? "detached" : branch}/${yield* Clock.currentTimeMillis}`
      yield* git(path, ["update-ref", ref, commit])
      return ref
    })

  const commitAll = (path: string, message: string) =>
    Effect.gen(function* () {
      yield* git(path, ["add", "-A"])
      if (yield* succeeds(path, ["diff", "--cached", "--quiet"])) return Option.none<string>()
      yield* git(path, ["commit", "--quiet", "-m", message])
      return Option.some((yield* git(path, ["rev-parse", "HEAD"])).trim())
    })

  const push = (path: string, options: { readonly force: boolean }) =>
    Effect.gen(function* () {
      const branch = (yield* git(path, ["symbolic-ref", "--short", "HEAD"])).trim()
      if (options.force) yield* fromEither(checkForcePush(settings, branch))
      const force = options.force ? ["--force-with-lease"] : []
      yield* git(path, ["push", "--quiet", ...force, "--set-upstream", "origin", `refs/heads/${branch}:refs/heads/${branch}`])
    })

  const diff = (path: string, baseBranch: string) =>
    Effect.gen(function* () {
      const base = yield* baseRef(path, yield* refArgument("diff", baseBranch))
      const mergeBase = (yield* git(path, ["merge-base", "HEAD", base])).trim()
      const tree = yield* snapshotTree(path)
      return yield* git(path, ["diff", "--no-color", "--no-ext-diff", mergeBase, tree])
    })

  const isMerged = (repo: string, branch: string, request: RemoveRequest, tip: string) =>
    Effect.gen(function* () {
      if (Option.isSome(request.mergedHeadSha) && request.mergedHeadSha.value === tip) return true
      const bases = [...new Set([yield* defaultBranch(repo), ...(request.baseBranch === undefined ? [] : [request.baseBranch])])]
      for (const base of bases) {
        if (base === branch) return true
        for (const ref of [`refs/remotes/origin/${base}`, `refs/heads/${base}`]) {
          if ((yield* refExists(repo, ref)) && (yield* succeeds(repo, ["merge-base", "--is-ancestor", tip, ref]))) return true
        }
      }
      return false
    })

  const removeWorktree = (request: RemoveRequest) =>
    Effect.gen(function* () {
      const repo = NodePath.resolve(request.repoPath)
      const listed = yield* worktrees(repo)
      const target = yield* fs.realPath(request.path).pipe(Effect.orElseSucceed(() => NodePath.resolve(request.path)))
      const tree = listed.slice(1).find((entry) => entry.path === target)
      if (tree === undefined) {
        return yield* new GitError({ operation: "worktree remove", detail: `${request.path} is not a linked worktree of ${repo}` })
      }
      const branch = tree.branch?.slice("refs/heads/".length) ?? ""
      // Every check runs before anything changes: a refusal leaves the worktree as it was.
      yield* fromEither(checkDeletion(settings, `remove the worktree ${request.path}`))
      const deleteBranch = request.deleteBranch && branch !== ""
      if (deleteBranch) {
        const merged = yield* isMerged(repo, branch, request, tree.head ?? "")
        yield* fromEither(checkBranchDeletion(settings, branch, merged))
      }
      const dirty = (yield* status(tree.path)).dirtyFiles.length > 0
      const savedRef = dirty ? Option.some(yield* saveWork(tree.path, branch)) : Option.none<string>()
      yield* git(repo, ["worktree", "remove", "--force", tree.path])
      if (deleteBranch) yield* git(repo, ["branch", "-D", branch])
      return { savedRef, branchDeleted: deleteBranch }
    })

  const resetHard = (path: string, ref: string) =>
    Effect.gen(function* () {
      const target = yield* refArgument("reset", ref)
      const current = yield* status(path)
      yield* fromEither(checkCleanTree(`reset --hard ${path}`, current.dirtyFiles))
      yield* fromEither(checkDeletion(settings, `reset --hard ${path} (commits may be dropped)`))
      yield* git(path, ["reset", "--quiet", "--hard", target, "--"])
    })

  const clean = (path: string) =>
    Effect.gen(function* () {
      const current = yield* status(path)
      yield* fromEither(checkCleanTree(`clean -f ${path}`, current.dirtyFiles))
      yield* fromEither(checkDeletion(settings, `clean -f ${path}`))
      yield* git(path, ["clean", "-f", "--quiet"])
    })

  return Vcs.of({
    discoverRepositories: (root, maxDepth) => discoverRepositories(fs, root, maxDepth),
    ensureWorktree,
    status,
    commitAll,
    push,
    diff,
    removeWorktree,
    resetHard,
    clean
  })
})

/** `vcs.git_cli`: needs a CommandExecutor and a FileSystem (NodeContext.layer). */
export const GitCliLive = Layer.effect(Vcs, make)
