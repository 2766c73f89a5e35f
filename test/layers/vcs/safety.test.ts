import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as path from "node:path"
import { Vcs } from "../../../src/services/Vcs.js"
import { exists, git, type GitFixture, gitFixture, type GitFlagsInput, read, vcsLayer, write } from "./gitFixture.js"

const allOn: GitFlagsInput = {
  allow_destructive_automation: true,
  allow_delete_unmerged_branches: true,
  allow_force_push: true
}

/** A worktree with one unpushed commit and an uncommitted change to a tracked and an untracked file. */
const dirtyWorktree = (fixture: GitFixture, flags: GitFlagsInput) =>
  Effect.gen(function* () {
    const vcs = yield* Effect.provide(Vcs, vcsLayer(fixture, flags))
    const tree = yield* vcs.ensureWorktree({ repoPath: fixture.repo, ticketKey: "ENG-9", title: "Risky", baseBranch: Option.none() })
    write(path.join(tree.path, "committed.txt"), "committed\n")
    yield* vcs.commitAll(tree.path, "unmerged work")
    write(path.join(tree.path, "README.md"), "edited but not committed\n")
    write(path.join(tree.path, "draft.txt"), "precious draft\n")
    return { vcs, tree }
  })

const removeRequest = (fixture: GitFixture, treePath: string, deleteBranch: boolean) => ({
  repoPath: fixture.repo,
  path: treePath,
  deleteBranch,
  mergedHeadSha: Option.none<string>()
})

describe("git safety, flags off: refused and nothing lost", () => {
  it.scoped("removing a worktree needs allow_destructive_automation", () =>
    Effect.gen(function* () {
      const fixture = yield* gitFixture
      const { vcs, tree } = yield* dirtyWorktree(fixture, {})
      const refusal = yield* Effect.flip(vcs.removeWorktree(removeRequest(fixture, tree.path, false)))
      expect(refusal._tag).toBe("SafetyRefusal")
      expect(refusal.message).toContain("git.allow_destructive_automation = true")
      expect(read(path.join(tree.path, "draft.txt"))).toBe("precious draft\n")
      expect(read(path.join(tree.path, "README.md"))).toBe("edited but not committed\n")
    }))

  it.scoped("deleting an unmerged branch needs allow_delete_unmerged_branches", () =>
    Effect.gen(function* () {
      const fixture = yield* gitFixture
      const { vcs, tree } = yield* dirtyWorktree(fixture, { allow_destructive_automation: true })
      const refusal = yield* Effect.flip(vcs.removeWorktree(removeRequest(fixture, tree.path, true)))
      expect(refusal._tag).toBe("SafetyRefusal")
      if (refusal._tag === "SafetyRefusal") expect(refusal.flags).toEqual(["allow_delete_unmerged_branches"])
      // Refused before anything changed: the worktree, its edits and the branch are all still there.
      expect(read(path.join(tree.path, "draft.txt"))).toBe("precious draft\n")
      expect(git(fixture.repo, "branch", "--list", tree.branch).trim()).toContain(tree.branch)
    }))

  it.scoped("force push needs allow_destructive_automation and allow_force_push", () =>
    Effect.gen(function* () {
      const fixture = yield* gitFixture
      const { vcs, tree } = yield* dirtyWorktree(fixture, { allow_destructive_automation: true })
      yield* vcs.push(tree.path, { force: false })
      const pushed = git(fixture.origin, "rev-parse", `refs/heads/${tree.branch}`).trim()
      git(tree.path, "commit", "--quiet", "--amend", "-m", "rewritten")
      const refusal = yield* Effect.flip(vcs.push(tree.path, { force: true }))
      expect(refusal.message).toContain("git.allow_force_push = true")
      expect(refusal.message).not.toContain("allow_destructive_automation")
      expect(git(fixture.origin, "rev-parse", `refs/heads/${tree.branch}`).trim()).toBe(pushed)
    }))

  it.scoped("reset --hard and clean -f are refused on a dirty tree whatever the flags", () =>
    Effect.gen(function* () {
      const fixture = yield* gitFixture
      const { vcs, tree } = yield* dirtyWorktree(fixture, allOn)
      const reset = yield* Effect.flip(vcs.resetHard(tree.path, "main"))
      expect(reset.message).toContain("uncommitted changes")
      expect(reset.message).toContain("no setting allows this")
      const clean = yield* Effect.flip(vcs.clean(tree.path))
      expect(clean._tag).toBe("SafetyRefusal")
      expect(read(path.join(tree.path, "draft.txt"))).toBe("precious draft\n")
      expect(read(path.join(tree.path, "README.md"))).toBe("edited but not committed\n")
      expect(exists(path.join(tree.path, "committed.txt"))).toBe(true)
    }))
})

describe("git safety, flags on: allowed, dirty work saved first", () => {
  it.scoped("removing a dirty worktree and its unmerged branch saves the work in a wip ref", () =>
    Effect.gen(function* () {
      const fixture = yield* gitFixture
      const { vcs, tree } = yield* dirtyWorktree(fixture, allOn)
      const result = yield* vcs.removeWorktree(removeRequest(fixture, tree.path, true))
      expect(result.branchDeleted).toBe(true)
      expect(exists(tree.path)).toBe(false)
      expect(git(fixture.repo, "branch", "--list", tree.branch).trim()).toBe("")
      const ref = Option.getOrThrow(result.savedRef)
      expect(ref).toMatch(/^refs\/orchestrator\/wip\/orch\/ENG-9-risky\/\d+$/)
      // Everything is recoverable from the ref: the untracked draft, the edit, the unpushed commit.
      expect(git(fixture.repo, "show", `${ref}:draft.txt`)).toBe("precious draft\n")
      expect(git(fixture.repo, "show", `${ref}:README.md`)).toBe("edited but not committed\n")
      expect(git(fixture.repo, "show", `${ref}:committed.txt`)).toBe("committed\n")
    }))

  it.scoped("a merged branch is deleted with allow_destructive_automation alone", () =>
    Effect.gen(function* () {
      const fixture = yield* gitFixture
      const vcs = yield* Effect.provide(Vcs, vcsLayer(fixture, { allow_destructive_automation: true }))
      const tree = yield* vcs.ensureWorktree({ repoPath: fixture.repo, ticketKey: "ENG-3", title: "Merged", baseBranch: Option.none() })
      write(path.join(tree.path, "feature.txt"), "feature\n")
      const sha = Option.getOrThrow(yield* vcs.commitAll(tree.path, "feature"))
      // GitHub squash-merged it: the branch tip is not in main, but it is the merged PR's head.
      const result = yield* vcs.removeWorktree({ ...removeRequest(fixture, tree.path, true), mergedHeadSha: Option.some(sha) })
      expect(result).toEqual({ savedRef: Option.none(), branchDeleted: true })
      expect(git(fixture.repo, "branch", "--list", tree.branch).trim()).toBe("")
    }))

  it.scoped("a branch merged into its own base (not the default branch) counts as merged", () =>
    Effect.gen(function* () {
      const fixture = yield* gitFixture
      git(fixture.repo, "branch", "develop", "main")
      const vcs = yield* Effect.provide(Vcs, vcsLayer(fixture, { allow_destructive_automation: true }))
      const tree = yield* vcs.ensureWorktree({ repoPath: fixture.repo, ticketKey: "ENG-5", title: "Dev", baseBranch: Option.some("develop") })
      write(path.join(tree.path, "dev.txt"), "dev\n")
      yield* vcs.commitAll(tree.path, "dev")
      git(fixture.repo, "checkout", "--quiet", "develop")
      git(fixture.repo, "merge", "--quiet", "--ff-only", tree.branch)
      git(fixture.repo, "checkout", "--quiet", "main")
      // Merged into develop only: the default-branch check alone does not see it.
      const request = removeRequest(fixture, tree.path, true)
      expect((yield* Effect.flip(vcs.removeWorktree(request)))._tag).toBe("SafetyRefusal")
      expect(yield* vcs.removeWorktree({ ...request, baseBranch: "develop" })).toEqual({ savedRef: Option.none(), branchDeleted: true })
    }))

  it.scoped("force push with both flags overwrites the remote branch", () =>
    Effect.gen(function* () {
      const fixture = yield* gitFixture
      const { vcs, tree } = yield* dirtyWorktree(fixture, allOn)
      yield* vcs.push(tree.path, { force: false })
      git(tree.path, "commit", "--quiet", "--amend", "-m", "rewritten")
      yield* vcs.push(tree.path, { force: true })
      expect(git(fixture.origin, "log", "-1", "--format=%s", `refs/heads/${tree.branch}`).trim()).toBe("rewritten")
    }))

  it.scoped("reset --hard and clean -f on a clean tree with the flag", () =>
    Effect.gen(function* () {
      const fixture = yield* gitFixture
      const vcs = yield* Effect.provide(Vcs, vcsLayer(fixture, { allow_destructive_automation: true }))
      const tree = yield* vcs.ensureWorktree({ repoPath: fixture.repo, ticketKey: "ENG-4", title: "Reset", baseBranch: Option.none() })
      write(path.join(tree.path, "x.txt"), "x\n")
      yield* vcs.commitAll(tree.path, "x")
      yield* vcs.clean(tree.path)
      yield* vcs.resetHard(tree.path, "main")
      expect(exists(path.join(tree.path, "x.txt"))).toBe(false)
      const refused = yield* Effect.provide(Vcs, vcsLayer(fixture)).pipe(
        Effect.flatMap((strict) => strict.resetHard(tree.path, "main")),
        Effect.flip
      )
      expect(refused.message).toContain("git.allow_destructive_automation = true")
    }))
})
