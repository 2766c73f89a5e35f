import { Either } from "effect"
import type { GitSettings } from "./config.js"
import { SafetyRefusal } from "./vcsErrors.js"

/**
 * The git safety rules (SPEC §3), pure: the git Layer asks these before anything destructive,
 * so every caller gets the same answer. Each refusal names the flags that would allow the move.
 */

export type GitFlags = Pick<
  typeof GitSettings.Type,
  "allow_delete_unmerged_branches" | "allow_destructive_automation" | "allow_force_push"
>

type Check = Either.Either<void, SafetyRefusal>

const ok: Check = Either.void

const refuse = (operation: string, reason: string, flags: ReadonlyArray<string>): Check =>
  Either.left(new SafetyRefusal({ operation, reason, flags }))

/** Any deletion (worktree, branch, files) needs `allow_destructive_automation`. */
export const checkDeletion = (flags: GitFlags, operation: string): Check =>
  flags.allow_destructive_automation
    ? ok
    : refuse(operation, "deleting is destructive", ["allow_destructive_automation"])

/** A branch whose commits are not in the base (or in a merged pull request) also needs its own flag. */
export const checkBranchDeletion = (flags: GitFlags, branch: string, merged: boolean): Check => {
  const operation = `delete branch ${branch}`
  if (merged) return checkDeletion(flags, operation)
  const missing = [
    ...(flags.allow_destructive_automation ? [] : ["allow_destructive_automation"]),
    ...(flags.allow_delete_unmerged_branches ? [] : ["allow_delete_unmerged_branches"])
  ]
  return missing.length === 0 ? ok : refuse(operation, "it has commits that are not merged", missing)
}

export const checkForcePush = (flags: GitFlags, branch: string): Check => {
  const missing = [
    ...(flags.allow_destructive_automation ? [] : ["allow_destructive_automation"]),
    ...(flags.allow_force_push ? [] : ["allow_force_push"])
  ]
  return missing.length === 0 ? ok : refuse(`force push ${branch}`, "a force push can overwrite commits on the remote", missing)
}

/** `reset --hard` and `clean -f` would destroy uncommitted work: refused outright on a dirty tree. */
export const checkCleanTree = (operation: string, dirtyFiles: ReadonlyArray<string>): Check =>
  dirtyFiles.length === 0
    ? ok
    : refuse(operation, `the worktree has uncommitted changes (${dirtyFiles.slice(0, 3).join(", ")}${dirtyFiles.length > 3 ? ", ..." : ""})`, [])
