import { Schema } from "effect"
import { WorkflowState } from "./workflow.js"

/**
 * The configuration file's schema (SPEC §2). Keys mirror the TOML names so an error can name
 * the key the person typed. Every key has a default; a missing key takes it.
 */

const describe = <A, I>(schema: Schema.Schema<A, I, never>, description: string): Schema.Schema<A, I, never> =>
  schema.annotations({ description })

const Text = describe(Schema.String, "a string")
const PathText = describe(Schema.String, "a path (a string; ~ is expanded)")
const Flag = describe(Schema.Boolean, "true or false")
const Seconds = describe(Schema.Int.pipe(Schema.positive()), "a whole number of seconds greater than 0")
const Millis = describe(Schema.Int.pipe(Schema.nonNegative()), "a whole number of milliseconds (0 or more)")
const Count = describe(Schema.Int.pipe(Schema.positive()), "a whole number greater than 0")
const CountOrOff = describe(Schema.Int.pipe(Schema.nonNegative()), "a whole number (0 turns it off)")
const TextList = describe(Schema.Array(Schema.String), "a list of strings")
const Url = describe(Schema.String.pipe(Schema.pattern(/^https?:\/\/\S+$/)), "an http(s) URL")
const OptionalUrl = describe(Schema.String.pipe(Schema.pattern(/^$|^https?:\/\/\S+$/)), "an http(s) URL or \"\"")

/**
 * A tracker or harness id. Which ids exist is the provider tables' business
 * (src/layers/ticketing/providers.ts, src/layers/harness/providers.ts): the config loader checks
 * the value against them, so the error names the ids a table really holds.
 */
const ProviderId = describe(Schema.String, "a provider id (a string)")
export const VcsProviderId = Schema.Literal("vcs.git_cli")
export type VcsProviderId = typeof VcsProviderId.Type
export const VcsRepoProviderId = Schema.Literal("vcs_repos.github_gh_cli")
export type VcsRepoProviderId = typeof VcsRepoProviderId.Type

const opt = <A, I>(schema: Schema.Schema<A, I, never>, value: NoInfer<A>) =>
  Schema.optionalWith(schema, { default: () => value, exact: true })

const section = <A, I>(struct: Schema.Schema<A, I, never>) =>
  Schema.optionalWith(struct, { default: () => Schema.decodeUnknownSync(struct)({}), exact: true })

export const SupervisorSettings = Schema.Struct({
  model: opt(Text, "openai/gpt-4o-mini"),
  openrouter_base_url: opt(Url, "https://openrouter.ai/api/v1")
})

/** Orchestrator's workflow state → the tracker's state name. */
const workflowStateNames: ReadonlyArray<string> = WorkflowState.literals

export const WorkflowStateMap = describe(
  Schema.Record({ key: Schema.String, value: Schema.String }).pipe(
    Schema.filter((map) => Object.keys(map).every((key) => workflowStateNames.includes(key)))
  ),
  `a table whose keys are workflow states (${workflowStateNames.join(", ")}) and values tracker state names`
)

export const defaultWorkflowStateMap: Readonly<Record<string, string>> = {
  Planning: "In Progress",
  Implementing: "In Progress",
  PRDrafted: "In Review",
  AwaitingYourReview: "In Review",
  ReadyForReview: "In Review",
  InReview: "In Review",
  PendingMerge: "In Review",
  Done: "Done",
  Abandoned: "Canceled"
}

/** What every tracker honours, whichever `ticketing_provider` names. */
const trackerKeys = {
  sync_interval_secs: Seconds,
  sync_assigned_to_me: Flag,
  sync_states: TextList,
  workflow_comment_summaries: Flag,
  workflow_attach_pr_links: Flag,
  workflow_state_map: WorkflowStateMap
}

export const TrackerSettings = Schema.Struct({
  sync_interval_secs: opt(trackerKeys.sync_interval_secs, 300),
  sync_assigned_to_me: opt(trackerKeys.sync_assigned_to_me, true),
  sync_states: opt(trackerKeys.sync_states, ["Todo", "In Progress", "In Review"]),
  workflow_comment_summaries: opt(trackerKeys.workflow_comment_summaries, true),
  workflow_attach_pr_links: opt(trackerKeys.workflow_attach_pr_links, true),
  workflow_state_map: opt(trackerKeys.workflow_state_map, defaultWorkflowStateMap),
  /** A sync's bound on tickets fetched; reaching it is reported, and then no ticket is unlisted. */
  max_tickets: opt(Count, 1000),
  /**
   * Every Nth sync lists every ticket (and so finds the ones gone); the others ask only for tickets
   * changed since the last complete sync. 1 lists everything every time.
   */
  full_sync_every: opt(Count, 10)
})

/** The `[tracker]` keys the seed spelled under `[linear]`; still read there, with a warning. */
export const movedTrackerKeys: ReadonlyArray<string> = Object.keys(trackerKeys)

/** The old `[linear]` spelling of the moved keys, checked with the same schemas so errors name what was typed. */
export const LegacyLinearTrackerKeys = Schema.Struct({
  linear: Schema.optionalWith(Schema.partialWith(Schema.Struct(trackerKeys), { exact: true }), { exact: true })
})

export const LinearSettings = Schema.Struct({
  api_url: opt(Url, "https://api.linear.app/graphql"),
  /** Issues per request (GraphQL `first`); Linear takes at most 250. */
  fetch_limit: opt(Count, 100)
})

export const ShortcutSettings = Schema.Struct({
  api_url: opt(Url, "https://api.app.shortcut.com/api/v3"),
  /** Stories per request (`page_size`); Shortcut takes at most 25. */
  fetch_limit: opt(Count, 100)
})

export const GitSettings = Schema.Struct({
  binary: opt(Text, "git"),
  branch_prefix: opt(describe(Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9._-]+$/)), "letters, digits, . _ -"), "orchestrator"),
  allow_delete_unmerged_branches: opt(Flag, false),
  allow_destructive_automation: opt(Flag, false),
  allow_force_push: opt(Flag, false)
})

export const MergeStrategy = describe(Schema.Literal("squash", "merge", "rebase"), "\"squash\", \"merge\" or \"rebase\"")

export const GithubSettings = Schema.Struct({
  binary: opt(Text, "gh"),
  merge_strategy: opt(MergeStrategy, "squash"),
  auto_merge: opt(Flag, false),
  /** `ticketing.github`: issues per REST page (`per_page`); GitHub takes at most 100. */
  issues_page_size: opt(Count, 100)
})

/** `ticketing.jira`: Jira Cloud; the email and API token come from JIRA_EMAIL and JIRA_API_TOKEN. */
export const JiraSettings = Schema.Struct({
  /** The site, e.g. `https://acme.atlassian.net`. */
  base_url: opt(OptionalUrl, ""),
  /** Lists only this project's issues, and new issues go there; "" lists every project's. */
  project_key: opt(Text, ""),
  /** The issue type of new issues. */
  issue_type: opt(Text, "Task"),
  /** Issues per search page (`maxResults`); Jira takes at most 100. */
  fetch_limit: opt(Count, 50)
})

export const ApprovalPolicy = describe(Schema.Literal("untrusted", "on-request", "never"), "\"untrusted\", \"on-request\" or \"never\"")
export const SandboxMode = describe(
  Schema.Literal("read-only", "workspace-write", "danger-full-access"),
  "\"read-only\", \"workspace-write\" or \"danger-full-access\""
)

/**
 * `[runtime] agent_env_remove`'s default: orchestrator pushes and opens pull requests itself, so an
 * agent needs no GitHub token of the person's.
 */
export const defaultAgentEnvRemove: ReadonlyArray<string> = ["GITHUB_TOKEN", "GH_TOKEN"]

export const RuntimeSettings = Schema.Struct({
  allow_unsafe_command_paths: opt(Flag, false),
  harness_server_startup_timeout_secs: opt(Seconds, 30),
  harness_log_raw_events: opt(Flag, false),
  harness_log_normalized_events: opt(Flag, false),
  opencode_binary: opt(Text, "opencode"),
  opencode_server_base_url: opt(OptionalUrl, ""),
  codex_binary: opt(Text, "codex"),
  /** Claude Code; a bare `claude` is also looked for in the installed `@anthropic-ai/claude-code-<platform>` package. */
  claude_binary: opt(Text, "claude"),
  pr_pipeline_poll_interval_secs: opt(Seconds, 60),
  max_concurrent_sessions: opt(Count, 4),
  stall_timeout_secs: opt(Seconds, 600),
  max_retry_backoff_secs: opt(Seconds, 300),
  max_stall_retries: opt(Count, 3),
  max_ci_fix_attempts: opt(Count, 3),
  checkpoint_interval_secs: opt(Seconds, 900),
  auto_advance_to_implementing: opt(Flag, false),
  /** How often `run --headless --auto` looks for tickets to start and work to reconcile. */
  dispatch_interval_secs: opt(Seconds, 15),
  approval_policy: opt(ApprovalPolicy, "on-request"),
  sandbox: opt(SandboxMode, "workspace-write"),
  /** Removed from every agent's environment, besides orchestrator's own secrets (always removed). */
  agent_env_remove: opt(TextList, defaultAgentEnvRemove),
  /** Tokens all the agent sessions of one work item may use before it stops and asks the person; 0: no limit. */
  max_tokens_per_work_item: opt(CountOrOff, 0)
})

export const Synchronous = describe(Schema.Literal("OFF", "NORMAL", "FULL", "EXTRA"), "\"OFF\", \"NORMAL\", \"FULL\" or \"EXTRA\"")

export const DatabaseSettings = Schema.Struct({
  /**
   * A PostgreSQL server for the event store (`postgres://user@host:5432/db`), shared by several machines;
   * empty: the SQLite file at event_store_path. The password comes from ORCHESTRATOR_DATABASE_URL (which
   * wins over this key), PGPASSWORD or ~/.pgpass, never from this file.
   */
  url: opt(Text, ""),
  max_connections: opt(Count, 1),
  busy_timeout_ms: opt(Millis, 5000),
  wal_enabled: opt(Flag, true),
  synchronous: opt(Synchronous, "NORMAL"),
  chunk_event_flush_ms: opt(Millis, 50),
  retention_days: opt(Count, 30)
})

export const Theme = describe(Schema.Literal("nord", "default"), "\"nord\" or \"default\"")

export const UiSettings = Schema.Struct({
  theme: opt(Theme, "nord"),
  ticket_picker_priority_states: opt(TextList, ["In Progress", "Todo", "Backlog"]),
  transcript_line_limit: opt(Count, 2000),
  background_session_refresh_secs: opt(Seconds, 2),
  session_info_background_refresh_secs: opt(Seconds, 30),
  /** Bell and desktop notification (OSC 9/777) when an item lands in Decide/Unblock or Approvals. */
  notifications: opt(Flag, true)
})

const Port = describe(Schema.Int.pipe(Schema.between(0, 65535)), "a port number from 0 (any free port) to 65535")

/** `run --web`: the dashboard and control API. A non-loopback host is reachable by others (the token still guards it). */
export const WebSettings = Schema.Struct({
  host: opt(Text, "127.0.0.1"),
  port: opt(Port, 8787)
})

/**
 * Many machines: with `enabled`, `run` is the coordinator of the runners on the shared PostgreSQL
 * store ([database] url): agents, worktrees, git and gh run on the runner that has the ticket's
 * project in its own `[projects]`; this machine needs no clone.
 */
export const ClusterSettings = Schema.Struct({
  enabled: opt(Flag, false)
})

/** Ticket project or team (key, id or name) → local repository path. */
export const ProjectsMap = describe(Schema.Record({ key: Schema.String, value: Schema.String }), "a table of project = repository path")

export const Settings = Schema.Struct({
  workspace: opt(PathText, "~/code"),
  worktrees_root: opt(PathText, ""),
  event_store_path: opt(PathText, ""),
  ticketing_provider: opt(ProviderId, "ticketing.linear"),
  harness_provider: opt(ProviderId, "harness.codex"),
  vcs_provider: opt(describe(VcsProviderId, "vcs.git_cli"), "vcs.git_cli"),
  vcs_repo_provider: opt(describe(VcsRepoProviderId, "vcs_repos.github_gh_cli"), "vcs_repos.github_gh_cli"),
  supervisor: section(SupervisorSettings),
  tracker: section(TrackerSettings),
  linear: section(LinearSettings),
  shortcut: section(ShortcutSettings),
  jira: section(JiraSettings),
  git: section(GitSettings),
  github: section(GithubSettings),
  runtime: section(RuntimeSettings),
  database: section(DatabaseSettings),
  ui: section(UiSettings),
  web: section(WebSettings),
  cluster: section(ClusterSettings),
  projects: opt(ProjectsMap, {})
})
export type Settings = typeof Settings.Type

/** Paths of tables whose keys are the person's own (not checked against known keys). */
export const openTables: ReadonlyArray<string> = ["projects", "tracker.workflow_state_map"]
