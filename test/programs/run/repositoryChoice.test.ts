import { describe, expect, it } from "@effect/vitest"
import { mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { pathCompletions, repositoryCandidates } from "../../../src/programs/run/repositoryChoice.js"

describe("repository choice", () => {
  it("finds git repositories under the workspace (one folder deep too) and completes typed paths to directories", () => {
    const root = mkdtempSync(NodePath.join(tmpdir(), "orch-repos-"))
    try {
      for (const repo of ["api/.git", "org/web/.git", "notes", ".hidden/.git"]) mkdirSync(NodePath.join(root, repo), { recursive: true })
      expect(repositoryCandidates(root)).toEqual([NodePath.join(root, "api"), NodePath.join(root, "org", "web")])
      expect(pathCompletions(NodePath.join(root, "o"))).toEqual([`${NodePath.join(root, "org")}/`])
      expect(pathCompletions(`${root}/`)).toEqual(["api", "notes", "org"].map((name) => `${root}/${name}/`))
      expect(pathCompletions(NodePath.join(root, "missing", "x"))).toEqual([])
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
