import { Schema } from "effect"

/** A git command failed; `detail` carries git's own message (stderr), trimmed. */
export class GitError extends Schema.TaggedError<GitError>()("GitError", {
  operation: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `git ${this.operation} failed: ${this.detail}`
  }
}

/**
 * The safety policy refused an operation. `flags` are the `[git]` settings that would allow it;
 * empty when no setting can (e.g. resetting a dirty tree: save the work first).
 */
export class SafetyRefusal extends Schema.TaggedError<SafetyRefusal>()("SafetyRefusal", {
  operation: Schema.String,
  reason: Schema.String,
  flags: Schema.Array(Schema.String)
}) {
  override get message(): string {
    const allow =
      this.flags.length === 0
        ? "no setting allows this; commit or save the work first"
        : `set ${this.flags.map((flag) => `git.${flag} = true`).join(" and ")} to allow it`
    return `refused to ${this.operation}: ${this.reason}; ${allow}`
  }
}

/** A worktree path that would leave `worktrees_root` after resolution. */
export class UnsafePath extends Schema.TaggedError<UnsafePath>()("UnsafePath", {
  path: Schema.String,
  root: Schema.String
}) {
  override get message(): string {
    return `worktree path ${this.path} is not inside ${this.root}`
  }
}

/** A `gh` call failed; `exitCode` is gh's own (1 error, 2 cancelled, 4 auth). */
/**
 * The exit code of a gh call that got no answer: its runner was away or stopped the call (a cluster's
 * runner restarting its entities). Nothing is known of the outcome, so it is tried again rather than
 * taken as GitHub's refusal.
 */
export const UNANSWERED_EXIT = -2

export class RepoHostError extends Schema.TaggedError<RepoHostError>()("RepoHostError", {
  operation: Schema.String,
  exitCode: Schema.Number,
  detail: Schema.String
}) {
  override get message(): string {
    return `gh ${this.operation} failed (exit ${this.exitCode}): ${this.detail}`
  }
}

/** gh is not logged in: one sentence saying how to fix it. */
export class RepoHostAuthError extends Schema.TaggedError<RepoHostAuthError>()("RepoHostAuthError", {
  operation: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `gh ${this.operation}: not logged in to GitHub (${this.detail}); run \`gh auth login\``
  }
}

/** gh answered something we cannot read; `received` quotes it (truncated). */
export class RepoHostDecodeError extends Schema.TaggedError<RepoHostDecodeError>()("RepoHostDecodeError", {
  operation: Schema.String,
  received: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `gh ${this.operation}: unexpected answer (${this.detail}): ${this.received}`
  }
}
