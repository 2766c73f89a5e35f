import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { branchName, MAX_KEY_LENGTH, MAX_SLUG_LENGTH, slugify, worktreeLeaf } from "../../../src/domain/vcsNames.js"
import { Vcs } from "../../../src/services/Vcs.js"
import { git, gitFixture, vcsLayer } from "./gitFixture.js"

const hostile: ReadonlyArray<readonly [string, string]> = [
  ["ENG-1; rm -rf ~", "; rm -rf ~"],
  ["$(touch PWNED)", "`touch PWNED` $(touch PWNED)"],
  ["../../etc", "../../etc/passwd"],
  ["-rf", "--upload-pack=touch PWNED"],
  ["ENG-2", "x".repeat(300)],
  ["ENG-3", "🚀 Émoji 日本語 title 🎉"],
  ["..", ".lock"],
  ["", ""]
]

const safeLeaf = /^[A-Za-z0-9][A-Za-z0-9-]*$/

describe("hostile ticket identifiers and titles", () => {
  it("produce safe, bounded names", () => {
    for (const [key, title] of hostile) {
      const leaf = worktreeLeaf(key, title)
      expect(leaf).toMatch(safeLeaf)
      expect(leaf.length).toBeLessThanOrEqual(MAX_KEY_LENGTH + 1 + MAX_SLUG_LENGTH)
      expect(leaf).not.toContain("..")
      expect(branchName("orch", key, title)).toBe(`orch/${leaf}`)
    }
    expect(worktreeLeaf("ENG-1; rm -rf ~", "; rm -rf ~")).toBe("ENG-1-rm-rf-rm-rf")
    expect(slugify("🚀 Émoji 日本語 title 🎉")).toBe("emoji-title")
    expect(branchName("..", "ENG-1", "x")).toBe("orchestrator/ENG-1-x")
  })

  it.scoped("create valid branches and worktrees inside the root and execute nothing", () =>
    Effect.gen(function* () {
      const fixture = yield* gitFixture
      const vcs = yield* Effect.provide(Vcs, vcsLayer(fixture))
      const marker = path.join(fixture.dir, "PWNED")
      for (const [key, title] of [...hostile, ["ENG-4", `$(touch ${marker})`] as const]) {
        const tree = yield* vcs.ensureWorktree({ repoPath: fixture.repo, ticketKey: key, title, baseBranch: Option.none() })
        expect(path.dirname(tree.path)).toBe(path.join(fixture.worktreesRoot, "repo"))
        expect(fs.existsSync(path.join(tree.path, "README.md"))).toBe(true)
        expect(git(fixture.repo, "check-ref-format", "--branch", tree.branch).trim()).toBe(tree.branch)
      }
      expect(fs.existsSync(marker)).toBe(false)
      for (const dir of [process.cwd(), fixture.repo, fixture.dir, fixture.worktreesRoot]) {
        expect(fs.existsSync(path.join(dir, "PWNED"))).toBe(false)
      }
      // The root holds exactly the worktrees, nothing escaped next to it.
      expect(fs.readdirSync(fixture.dir).sort()).toEqual(["origin.git", "repo", "worktrees"])
    }))
})
