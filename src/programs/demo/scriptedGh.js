#!/usr/bin/env node
// A scripted `gh`, for tests and for `orchestrator run --demo`: answers with gh's JSON shapes,
// messages and exit codes from a state file: $FAKE_GH_STATE, else `state.json` beside this script
// (so a per-test copy needs no environment). Every call is appended to `calls`.
// With `autopilot` in the state, pull requests move on their own like a friendly GitHub: checks
// pass on the first look, a ready pull request is approved on the next, and a merge really
// fast-forwards the base branch on `origin` when it can (the demo shows a merged branch).
// Written to load as CommonJS or ESM alike (dynamic imports inside an async function).
;(async () => {
  const fs = await import("node:fs")
  const path = await import("node:path")
  const childProcess = await import("node:child_process")
  const stateFile = process.env.FAKE_GH_STATE || path.join(path.dirname(process.argv[1]), "state.json")
  const state = JSON.parse(fs.readFileSync(stateFile, "utf8"))
  const args = process.argv.slice(2)
  state.calls.push(args)
  const save = () => {
    const tmp = `${stateFile}.${process.pid}.tmp`
    fs.writeFileSync(tmp, JSON.stringify(state, null, 2))
    fs.renameSync(tmp, stateFile)
  }
  const finish = (code, stdout = "", stderr = "") => {
    save()
    if (stdout) process.stdout.write(stdout)
    if (stderr) process.stderr.write(stderr)
    process.exitCode = code
  }

  /** `--name value` or `--name=value`. */
  const flag = (name) => {
    for (let i = 0; i < args.length; i++) {
      if (args[i] === `--${name}`) return args[i + 1]
      if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3)
    }
    return undefined
  }
  const has = (name) => args.includes(`--${name}`)
  const positional = (index) => args.filter((a) => !a.startsWith("-"))[index]
  const pick = (object, fields) => Object.fromEntries(fields.map((f) => [f, object[f] === undefined ? null : object[f]]))
  const pull = (number) => state.pulls.find((p) => p.number === Number(number))
  const notFound = (number) =>
    finish(1, "", `GraphQL: Could not resolve to a PullRequest with the number of ${number}. (repository.pullRequest)\n`)

  const rollup = (p) =>
    p.checks.map((c) => ({
      __typename: "CheckRun",
      name: c.name,
      status: c.bucket === "pending" ? "IN_PROGRESS" : "COMPLETED",
      conclusion: c.bucket === "pending" ? "" : c.bucket === "pass" ? "SUCCESS" : c.bucket === "fail" ? "FAILURE" : "SKIPPED",
      detailsUrl: c.link,
      workflowName: c.workflow,
      startedAt: "2026-01-01T00:00:00Z",
      completedAt: c.bucket === "pending" ? "0001-01-01T00:00:00Z" : "2026-01-01T00:05:00Z"
    }))
  // `extraRollup` scripts rollup entries of other kinds (commit statuses, kinds GitHub adds later).
  const viewOf = (p) => ({ ...p, statusCheckRollup: [...rollup(p), ...(p.extraRollup ?? [])] })

  const headSha = (branch) => {
    for (const ref of [`refs/remotes/origin/${branch}`, `refs/heads/${branch}`]) {
      try {
        return childProcess.execFileSync("git", ["rev-parse", "--verify", "--quiet", ref], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim()
      } catch {}
    }
    return "0".repeat(40)
  }

  const [group, command] = args

  if (group === "auth" && command === "status") {
    return state.authenticated
      ? finish(0, "", `github.com\n  ✓ Logged in to github.com account ${state.login} (keyring)\n  - Active account: true\n`)
      : finish(1, "", "You are not logged into any GitHub hosts. To log in, run: gh auth login\n")
  }
  if (!state.authenticated) {
    return finish(4, "", "To get started with GitHub CLI, please run:  gh auth login\nAlternatively, populate the GH_TOKEN environment variable with a GitHub API authentication token.\n")
  }
  const repoUrl = `https://github.com/${state.owner}/${state.repo}`

  if (group === "pr" && command === "create") {
    const head = flag("head")
    const base = flag("base") ?? "main"
    const open = state.pulls.find((p) => p.headRefName === head && p.state === "OPEN")
    if (open) return finish(1, "", `a pull request for branch "${head}" into branch "${base}" already exists:\n${open.url}\n`)
    const number = state.nextNumber++
    const bodyFile = flag("body-file")
    const p = {
      number,
      url: `${repoUrl}/pull/${number}`,
      title: flag("title") ?? "",
      body: bodyFile ? fs.readFileSync(bodyFile, "utf8") : flag("body") ?? "",
      state: "OPEN",
      isDraft: has("draft"),
      mergeable: "MERGEABLE",
      mergeStateStatus: has("draft") ? "DRAFT" : "BLOCKED",
      reviewDecision: "",
      headRefName: head,
      headRefOid: headSha(head),
      baseRefName: base,
      mergedAt: null,
      checks: [],
      comments: []
    }
    state.pulls.push(p)
    return finish(0, `${p.url}\n`, `\nCreating ${p.isDraft ? "draft " : ""}pull request for ${head} into ${base} in ${state.owner}/${state.repo}\n\n`)
  }

  if (group === "pr" && command === "list") {
    const head = flag("head")
    const wanted = (flag("state") ?? "open").toUpperCase()
    const fields = (flag("json") ?? "number,url").split(",")
    // `listLags` scripts GitHub's search index lagging behind a just-created pull request.
    const found = state.listLags
      ? []
      : state.pulls.filter((p) => (head === undefined || p.headRefName === head) && (wanted === "ALL" || p.state === wanted))
    return finish(0, `${JSON.stringify(found.map((p) => pick(viewOf(p), fields)))}\n`)
  }

  const autopilot = (p) => {
    if (!state.autopilot || p.state !== "OPEN") return
    p.headRefOid = headSha(p.headRefName)
    if (p.checks.length === 0) {
      p.checks = ["build", "test"].map((name) => ({
        name,
        state: "SUCCESS",
        bucket: "pass",
        link: `${repoUrl}/actions/runs/${p.number}/job/${name}`,
        workflow: "CI"
      }))
      p.mergeStateStatus = p.isDraft ? "DRAFT" : "BLOCKED"
    } else if (!p.isDraft && p.reviewDecision !== "APPROVED") {
      p.reviewDecision = "APPROVED"
      p.mergeStateStatus = "CLEAN"
    }
  }

  if (group === "pr" && command === "view") {
    const number = positional(2)
    const p = pull(number)
    if (!p) return notFound(number)
    autopilot(p)
    const fields = (flag("json") ?? "").split(",")
    return finish(0, `${JSON.stringify(pick(viewOf(p), fields))}\n`)
  }

  if (group === "pr" && command === "checks") {
    const number = positional(2)
    const p = pull(number)
    if (!p) return notFound(number)
    if (p.checks.length === 0) return finish(1, "", `no checks reported on the '${p.headRefName}' branch\n`)
    const json = flag("json")
    if (json !== undefined) return finish(0, `${JSON.stringify(p.checks.map((c) => pick(c, json.split(","))))}\n`)
    const table = p.checks.map((c) => `${c.name}\t${c.bucket}\t0\t${c.link}\t`).join("\n")
    const code = p.checks.some((c) => c.bucket === "fail") ? 1 : p.checks.some((c) => c.bucket === "pending") ? 8 : 0
    return finish(code, `${table}\n`)
  }

  if (group === "pr" && command === "ready") {
    const number = positional(2)
    const p = pull(number)
    if (!p) return notFound(number)
    if (!p.isDraft) return finish(0, "", `! Pull request ${state.owner}/${state.repo}#${number} (${p.title}) is already "ready for review"\n`)
    p.isDraft = false
    p.mergeStateStatus = "BLOCKED"
    // A repository with required reviews asks for one as soon as the draft is ready.
    if (p.reviewDecision === "") p.reviewDecision = "REVIEW_REQUIRED"
    return finish(0, "", `✓ Pull request ${state.owner}/${state.repo}#${number} (${p.title}) is marked as "ready for review"\n`)
  }

  if (group === "pr" && command === "merge") {
    const number = positional(2)
    const p = pull(number)
    if (!p) return notFound(number)
    const method = ["squash", "merge", "rebase"].find((m) => has(m))
    if (!method) return finish(1, "", "--merge, --rebase, or --squash required when not running interactively\n")
    if (p.state !== "OPEN") return finish(1, "", `X Pull request ${state.owner}/${state.repo}#${number} (${p.title}) was already ${p.state === "MERGED" ? "merged" : "closed"}\n`)
    if (!state.allowedMergeMethods.includes(method)) {
      return finish(1, "", `X Pull request ${state.owner}/${state.repo}#${number} is not mergeable: GraphQL: Merge method ${method} merging is not allowed on this repository (mergePullRequest)\n`)
    }
    const match = flag("match-head-commit")
    if (match !== undefined && match !== p.headRefOid) {
      return finish(1, "", "GraphQL: Head branch was modified. Review and try the merge again. (mergePullRequest)\n")
    }
    if (p.isDraft) return finish(1, "", "GraphQL: Pull Request is still a draft (mergePullRequest)\n")
    if (state.autopilot) {
      // Fast-forward the base branch on origin to the pull request's head, as a merge would.
      try {
        childProcess.execFileSync("git", ["push", "--quiet", "origin", `${p.headRefOid}:refs/heads/${p.baseRefName}`], { stdio: "ignore" })
      } catch {}
    }
    p.state = "MERGED"
    p.mergedAt = "2026-01-02T03:04:05Z"
    // Closing keywords in the body close the issues they name, as GitHub does at a merge.
    for (const [, repo, n] of (p.body || "").matchAll(/\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s+([\w.-]+\/[\w.-]+)?#(\d+)/gi)) {
      const issue = (state.issues || []).find((i) => i.number === Number(n) && (!repo || repo === `${state.owner}/${state.repo}`))
      if (issue && issue.state === "open") Object.assign(issue, { state: "closed", state_reason: "completed", updated_at: new Date().toISOString() })
    }
    p.mergedWith = method
    const verb = { squash: "Squashed and merged", merge: "Merged", rebase: "Rebased and merged" }[method]
    return finish(0, "", `✓ ${verb} pull request ${state.owner}/${state.repo}#${number} (${p.title})\n`)
  }

  if (group === "issue" || group === "label" || (group === "repo" && command === "view") || (group === "api" && !/\/pulls\//.test(args[1] ?? ""))) {
    return issues(args)
  }

  if (group === "api") {
    const endpoint = (args[1] ?? "").replace("{owner}", state.owner).replace("{repo}", state.repo)
    const match = new RegExp(`^repos/${state.owner}/${state.repo}/pulls/(\\d+)/comments$`).exec(endpoint)
    if (!match) return finish(1, "", `gh: Not Found (HTTP 404)\n`)
    const p = pull(match[1])
    if (!p) return finish(1, "", `gh: Not Found (HTTP 404)\n`)
    const jq = flag("jq")
    if (jq === ".[]") return finish(0, p.comments.map((c) => `${JSON.stringify(c)}\n`).join(""))
    return finish(0, `${JSON.stringify(p.comments)}\n`)
  }

  return finish(1, "", `unknown command "${args.join(" ")}" for "gh"\n`)

  /**
   * Issues, as `ticketing.github` drives them: `gh api` for the REST reads (paging, since,
   * assignee; pull requests appear in the listing as GitHub's do), `gh issue edit/close/reopen/
   * comment`, `gh label create`, `gh repo view`. `issueFaults` scripts one failure per call:
   * rate-limit, server-error, unauthorized, malformed.
   */
  function issues(args) {
    state.issues = state.issues || []
    state.labels = state.labels || ["bug"]
    const slug = `${state.owner}/${state.repo}`
    const fault = (state.issueFaults || []).shift()
    if (fault === "rate-limit") return finish(1, "", "gh: API rate limit exceeded for user ID 1. (HTTP 403)\n")
    if (fault === "server-error") return finish(1, "", "gh: Server Error (HTTP 502)\n")
    if (fault === "unauthorized") return finish(1, '{"message":"Bad credentials"}', "gh: Bad credentials (HTTP 401)\n")
    if (fault === "malformed") return finish(0, '{"number": "not a number", "title": \n')
    const fields = {}
    for (let i = 0; i < args.length - 1; i++) {
      if (["-f", "-F", "--raw-field", "--field"].includes(args[i])) {
        const [key, ...rest] = args[i + 1].split("=")
        fields[key] = rest.join("=")
      }
    }
    const stdinText = () => fs.readFileSync(0, "utf8")
    const touch = (issue) => (issue.updated_at = new Date(Date.now() + state.calls.length).toISOString())
    const find = (number, repo) => (repo === undefined || repo === slug ? state.issues.find((i) => i.number === Number(number)) : undefined)
    const missing = (number) => finish(1, "", `GraphQL: Could not resolve to an issue or pull request with the number of ${number}. (repository.issue)\n`)
    const ref = (issue) => `${slug}#${issue.number} (${issue.title})`

    if (group === "repo") return finish(0, `${JSON.stringify({ nameWithOwner: slug })}\n`)
    if (group === "label" && command === "create") {
      const name = args[2]
      if (!state.labels.includes(name)) state.labels.push(name)
      return finish(0, "", `✓ Label "${name}" created in ${slug}\n`)
    }
    if (group === "issue") {
      const issue = find(args[2], flag("repo"))
      if (!issue) return missing(args[2])
      if (command === "close") {
        if (issue.state === "closed") return finish(0, "", `! Issue ${ref(issue)} is already closed\n`)
        Object.assign(issue, { state: "closed", state_reason: flag("reason") === "not planned" ? "not_planned" : "completed" })
        touch(issue)
        return finish(0, "", `✓ Closed issue ${ref(issue)}\n`)
      }
      if (command === "reopen") {
        if (issue.state === "open") return finish(0, "", `! Issue ${ref(issue)} is already open\n`)
        Object.assign(issue, { state: "open", state_reason: "reopened" })
        touch(issue)
        return finish(0, "", `✓ Reopened issue ${ref(issue)}\n`)
      }
      if (command === "comment") {
        issue.comments = [...(issue.comments || []), flag("body-file") === "-" ? stdinText() : flag("body")]
        return finish(0, `${issue.html_url}#issuecomment-${issue.comments.length}\n`)
      }
      if (command === "edit") {
        const add = args.flatMap((a, i) => (a === "--add-label" ? [args[i + 1]] : []))
        const unknown = add.find((name) => !state.labels.includes(name))
        if (unknown !== undefined) return finish(1, "", `'${unknown}' not found\n`)
        const remove = args.flatMap((a, i) => (a === "--remove-label" ? [args[i + 1]] : []))
        issue.labels = [...issue.labels.filter((l) => !remove.includes(l.name)), ...add.filter((n) => !issue.labels.some((l) => l.name === n)).map((name) => ({ name }))]
        if (flag("body-file") === "-") issue.body = stdinText()
        touch(issue)
        return finish(0, `${issue.html_url}\n`)
      }
    }
    const endpoint = args[1] ?? ""
    const method = (flag("method") ?? "GET").toUpperCase()
    if (endpoint === "user") return finish(0, `${JSON.stringify({ login: state.login, id: 1 })}\n`)
    const notFound = () => finish(1, '{"message":"Not Found"}', "gh: Not Found (HTTP 404)\n")
    const one = /^repos\/([^/]+\/[^/]+)\/issues\/(\d+)$/.exec(endpoint)
    if (one) {
      const issue = find(one[2], one[1])
      return issue ? finish(0, `${JSON.stringify(issue)}\n`) : notFound()
    }
    const all = /^repos\/([^/]+\/[^/]+)\/issues$/.exec(endpoint)
    if (!all || all[1] !== slug) return notFound()
    if (method === "POST") {
      const input = flag("input") === "-" ? JSON.parse(stdinText()) : fields
      if (!input.title) return finish(1, "", "gh: Validation Failed (HTTP 422)\n")
      const number = state.nextNumber++
      const issue = githubIssue(number, input.title, input.body ?? "")
      state.issues.push(issue)
      return finish(0, `${JSON.stringify(issue)}\n`)
    }
    const perPage = Math.min(Number(fields.per_page ?? 30), 100)
    const page = Number(fields.page ?? 1)
    const wanted = fields.state ?? "open"
    const pullsAsIssues = state.pulls.map((p) => ({
      ...githubIssue(p.number, p.title, p.body),
      state: p.state === "OPEN" ? "open" : "closed",
      assignee: { login: state.login },
      pull_request: { url: `https://api.github.com/repos/${slug}/pulls/${p.number}` }
    }))
    const matching = [...state.issues, ...pullsAsIssues]
      .filter((i) => wanted === "all" || i.state === wanted)
      .filter((i) => fields.assignee === undefined || (i.assignee && i.assignee.login === fields.assignee))
      .filter((i) => fields.since === undefined || i.updated_at >= fields.since)
      .sort((a, b) => (a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : 0))
    return finish(0, `${JSON.stringify(matching.slice((page - 1) * perPage, page * perPage).map(({ comments, ...rest }) => rest))}\n`)
  }

  function githubIssue(number, title, body) {
    const slug = `${state.owner}/${state.repo}`
    return {
      number,
      title,
      body,
      html_url: `https://github.com/${slug}/issues/${number}`,
      repository_url: `https://api.github.com/repos/${slug}`,
      state: "open",
      state_reason: null,
      labels: [],
      assignee: { login: state.login },
      updated_at: new Date(Date.now() + state.calls.length).toISOString(),
      comments: []
    }
  }
})()
