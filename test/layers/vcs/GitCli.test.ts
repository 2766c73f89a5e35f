import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Vcs } from "../../../src/services/Vcs.js"
import { git, gitFixture, read, vcsLayer, write } from "./gitFixture.js"

const request = (repoPath: string, ticketKey: string, title: string) => ({
  repoPath,
  ticketKey,
  title,
  baseBranch: Option.none<string>()
})

describe("GitCli worktrees", () => {
  it.scoped("creates the ticket's branch and worktree under the root, then reuses it", () =>
    Effect.gen(function* () {
      const fixture = yield* gitFixture
      const vcs = yield* Effect.provide(Vcs, vcsLayer(fixture))
      const first = yield* vcs.ensureWorktree(request(fixture.repo, "ENG-42", "Fix the login page"))
      expect(first.branch).toBe("orch/ENG-42-fix-the-login-page")
      expect(first.path).toBe(path.join(fixture.worktreesRoot, "repo", "ENG-42-fix-the-login-page"))
      expect(first.baseBranch).toBe("main")
      expect(first.reused).toBe(false)
      expect(read(path.join(first.path, "README.md"))).toBe("hello\n")
      expect(git(first.path, "rev-parse", "--abbrev-ref", "HEAD").trim()).toBe(first.branch)

      // The title changed on the tracker: still the same ticket, the same worktree.
      const again = yield* vcs.ensureWorktree(request(fixture.repo, "ENG-42", "Fix the login page (renamed)"))
      expect(again).toMatchObject({ path: first.path, branch: first.branch, reused: true })
      expect(git(fixture.repo, "worktree", "list").trim().split("\n")).toHaveLength(2)
    }))

  it.scoped("a branch left without its worktree is checked out again with its commits", () =>
    Effect.gen(function* () {
      const fixture = yield* gitFixture
      const vcs = yield* Effect.provide(Vcs, vcsLayer(fixture))
      const tree = yield* vcs.ensureWorktree(request(fixture.repo, "ENG-7", "Add a thing"))
      write(path.join(tree.path, "thing.txt"), "thing\n")
      const sha = yield* vcs.commitAll(tree.path, "add a thing")
      git(fixture.repo, "worktree", "remove", tree.path)
      const back = yield* vcs.ensureWorktree(request(fixture.repo, "ENG-7", "Add a thing"))
      expect(back.reused).toBe(true)
      expect(back.branch).toBe(tree.branch)
      expect(git(back.path, "rev-parse", "HEAD").trim()).toBe(Option.getOrThrow(sha))

      // Its directory deleted by hand: git still lists it until pruned; a new checkout replaces it.
      fs.rmSync(back.path, { recursive: true, force: true })
      const restored = yield* vcs.ensureWorktree(request(fixture.repo, "ENG-7", "Add a thing"))
      expect(restored).toMatchObject({ path: back.path, branch: tree.branch, reused: true })
      expect(read(path.join(restored.path, "thing.txt"))).toBe("thing\n")
    }))

  it.scoped("status, commit, push with upstream, diff against the merge base", () =>
    Effect.gen(function* () {
      const fixture = yield* gitFixture
      const vcs = yield* Effect.provide(Vcs, vcsLayer(fixture))
      const tree = yield* vcs.ensureWorktree(request(fixture.repo, "ENG-1", "Greeting"))
      expect(yield* vcs.commitAll(tree.path, "nothing")).toEqual(Option.none())

      write(path.join(tree.path, "README.md"), "hello world\n")
      write(path.join(tree.path, "new file.txt"), "new\n")
      const dirty = yield* vcs.status(tree.path)
      expect([...dirty.dirtyFiles].sort()).toEqual(["README.md", "new file.txt"])
      expect(dirty.upstream).toEqual(Option.none())

      const sha = Option.getOrThrow(yield* vcs.commitAll(tree.path, "greet the world"))
      const committed = yield* vcs.status(tree.path)
      expect(committed.dirtyFiles).toEqual([])
      expect(committed.headSha).toBe(sha)

      yield* vcs.push(tree.path, { force: false })
      const pushed = yield* vcs.status(tree.path)
      expect(pushed.upstream).toEqual(Option.some(`origin/${tree.branch}`))
      expect([pushed.ahead, pushed.behind]).toEqual([0, 0])
      expect(git(fixture.origin, "rev-parse", `refs/heads/${tree.branch}`).trim()).toBe(sha)

      write(path.join(tree.path, "later.txt"), "uncommitted\n")
      const diff = yield* vcs.diff(tree.path, "main")
      expect(diff).toContain("+hello world")
      expect(diff).toContain("b/new file.txt")
      expect(diff).toContain("+uncommitted")
      // The diff is read-only: the untracked file is still untracked, nothing staged.
      expect(git(tree.path, "status", "--porcelain").trim()).toBe("?? later.txt")

      write(path.join(tree.path, "later.txt"), "more\n")
      git(tree.path, "add", "later.txt")
      git(tree.path, "commit", "--quiet", "-m", "more")
      expect((yield* vcs.status(tree.path)).ahead).toBe(1)
    }))

  it.scoped("discovers repositories under a root, not inside them", () =>
    Effect.gen(function* () {
      const fixture = yield* gitFixture
      const vcs = yield* Effect.provide(Vcs, vcsLayer(fixture))
      const nested = path.join(fixture.dir, "group", "deeper")
      git(fixture.dir, "init", "--quiet", nested)
      git(fixture.dir, "init", "--quiet", path.join(fixture.repo, "vendored"))
      expect(yield* vcs.discoverRepositories(fixture.dir, 3)).toEqual([nested, fixture.repo])
      expect(yield* vcs.discoverRepositories(fixture.dir, 1)).toEqual([fixture.repo])
      const missing = yield* Effect.flip(vcs.discoverRepositories(path.join(fixture.dir, "nope"), 2))
      expect(missing._tag).toBe("GitError")
    }))

  it.scoped("a missing git binary is a clear error naming the setting", () =>
    Effect.gen(function* () {
      const fixture = yield* gitFixture
      const error = yield* Effect.provide(Vcs, vcsLayer(fixture, {}, "/nonexistent/git")).pipe(
        Effect.flatMap((vcs) => vcs.status(fixture.repo)),
        Effect.flip
      )
      expect(error._tag).toBe("BinaryUnavailable")
      expect(error.message).toContain("git.binary")
    }))
})
