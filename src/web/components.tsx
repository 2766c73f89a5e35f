/// <reference lib="dom" />
import { memo, useState } from "react"
import type {
  FocusedSession,
  InboxEntry,
  PendingRequest,
  PullRequestView,
  RunnerView,
  SessionItem,
  Stage,
  TicketEntry,
  TranscriptBlock
} from "../programs/view/viewModel.js"

const stages: ReadonlyArray<Stage> = ["Planning", "Implementing", "Review", "Done", "Abandoned", "Other"]

/** On a cluster: each runner, online with its load, or offline. */
export const Runners = memo((props: { readonly runners: ReadonlyArray<RunnerView> }) =>
  props.runners.length === 0 ? null : (
    <span data-testid="runners">
      {props.runners.map((r) => (
        <span key={r.name} className={r.online ? "dim" : "warn"} title={r.host}>
          {" "}
          {r.name} {r.online ? `${r.live}/${r.maxSessions}` : "offline"}
        </span>
      ))}
    </span>
  )
)

export const SessionList = memo((props: {
  readonly sessions: ReadonlyArray<SessionItem>
  readonly runners: ReadonlyArray<RunnerView>
  readonly focusedId: string | null
  readonly onFocus: (id: string) => void
}) => (
  <section aria-label="Sessions">
    <h2>Sessions</h2>
    {props.sessions.length === 0 ? <p className="dim">No sessions yet: start a ticket below.</p> : null}
    {stages.map((stage) => {
      const rows = props.sessions.filter((s) => s.stage === stage)
      if (rows.length === 0) return null
      return (
        <div key={stage}>
          <h3>{stage}</h3>
          <ul>
            {rows.map((s) => (
              <li key={s.sessionId}>
                <button className="row" data-testid="session" aria-current={s.sessionId === props.focusedId} onClick={() => props.onFocus(s.sessionId)}>
                  <strong>{s.label}</strong> {s.title} <span className={s.active ? "ok" : "dim"}>· {s.workflowState ?? s.state}</span>
                  {s.runner === undefined || s.runner === null ? null : <span className="dim"> @{s.runner}</span>}
                  {props.runners.some((r) => r.name === s.runner && !r.online) ? <span className="warn"> runner offline</span> : null}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )
    })}
  </section>
))

const laneNames: Record<InboxEntry["lane"], string> = { decide: "Decide", approvals: "Approvals", reviews: "Reviews", fyi: "FYI" }

export const Inbox = memo((props: { readonly inbox: ReadonlyArray<InboxEntry>; readonly onFocus: (id: string) => void }) => (
  <section aria-label="Inbox">
    <h2>Inbox ({props.inbox.length})</h2>
    {(Object.keys(laneNames) as Array<InboxEntry["lane"]>).map((lane) => {
      const rows = props.inbox.filter((i) => i.lane === lane).sort((a, b) => b.urgency - a.urgency)
      if (rows.length === 0) return null
      return (
        <div key={lane}>
          <h3>{laneNames[lane]}</h3>
          <ul>
            {rows.map((item) => (
              <li key={item.id}>
                <button className="row" onClick={() => (item.sessionId === null ? undefined : props.onFocus(item.sessionId))}>
                  {item.title}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )
    })}
  </section>
))

export const TicketPicker = (props: {
  readonly tickets: ReadonlyArray<TicketEntry>
  readonly onStart: (ticketId: string, repoPath: string) => void
  readonly onSync: () => void
}) => {
  const [filter, setFilter] = useState("")
  const [repo, setRepo] = useState("")
  const needle = filter.trim().toLowerCase()
  const shown = props.tickets.filter((t) => !t.started && (needle === "" || `${t.identifier} ${t.title}`.toLowerCase().includes(needle))).slice(0, 50)
  return (
    <section aria-label="Tickets">
      <h2>Start a ticket</h2>
      <div className="actions">
        <input aria-label="Filter tickets" placeholder="filter" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <button onClick={props.onSync}>Sync</button>
      </div>
      <input aria-label="Repository path" placeholder="repository path (when the project has none)" value={repo} onChange={(e) => setRepo(e.target.value)} style={{ width: "100%" }} />
      <ul>
        {shown.map((t) => (
          <li key={t.id}>
            <button className="row" data-testid="start-ticket" onClick={() => props.onStart(t.id, repo.trim())}>
              ▶ <strong>{t.identifier}</strong> {t.title} <span className="dim">· {t.stateName}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}

const folds = new Set<TranscriptBlock["kind"]>(["reasoning", "command", "fileChange"])

/** Memoized: a streaming transcript changes its last block; the others keep their identity and are skipped. */
const Block = memo((props: { readonly block: TranscriptBlock }) => {
  const { block } = props
  const newline = block.text.indexOf("\n")
  if (folds.has(block.kind) && newline > 0) {
    return (
      <div className={`block ${block.kind}`}>
        <details>
          <summary>{block.text.slice(0, newline)}</summary>
          {block.text.slice(newline + 1)}
        </details>
      </div>
    )
  }
  return <div className={`block ${block.kind}`} data-testid={block.kind === "message" ? "agent-text" : undefined}>{block.text}</div>
})

const PullRequest = (props: { readonly pr: PullRequestView | null; readonly files: ReadonlyArray<string> }) => {
  const { pr } = props
  return (
    <p data-testid="pull-request">
      {pr === null ? <span className="dim">No pull request yet.</span> : null}
      {pr?._tag === "Link" ? <a href={pr.url} target="_blank" rel="noreferrer">{pr.url}</a> : null}
      {pr?._tag === "Observed" ? (
        <>
          PR <a href={pr.url} target="_blank" rel="noreferrer">#{pr.number}</a> <strong data-testid="pr-state">{pr.state}</strong> · checks{" "}
          <span className={pr.checks === "pass" ? "ok" : pr.checks === "fail" ? "bad" : "warn"}>{pr.checks}</span>
          {pr.failingChecks.length > 0 ? ` (${pr.failingChecks.join(", ")})` : ""} · review {pr.review ?? "none"}
        </>
      ) : null}
      {props.files.length > 0 ? <span className="dim"> · {props.files.length} changed file(s)</span> : null}
    </p>
  )
}

const Pending = (props: {
  readonly request: PendingRequest
  readonly onApprove: (requestId: string, decision: "accept" | "decline") => void
  readonly onAnswer: (requestId: string, answers: Record<string, string>) => void
}) => {
  const { request } = props
  const [answers, setAnswers] = useState<Record<string, string>>({})
  if (request._tag === "Approval") {
    return (
      <div className="pending" data-testid="approval">
        <strong>Approval ({request.kind}):</strong> <code>{request.subject}</code>
        {request.reason === null ? null : <p className="dim">{request.reason}</p>}
        <div className="actions">
          <button onClick={() => props.onApprove(request.requestId, "accept")}>Approve</button>
          <button onClick={() => props.onApprove(request.requestId, "decline")}>Decline</button>
        </div>
      </div>
    )
  }
  return (
    <form className="pending" onSubmit={(e) => { e.preventDefault(); props.onAnswer(request.requestId, answers) }}>
      {request.questions.map((q) => (
        <label key={q.id} style={{ display: "block" }}>
          {q.question}{" "}
          {q.options.length > 0 ? (
            <select value={answers[q.id] ?? ""} onChange={(e) => setAnswers({ ...answers, [q.id]: e.target.value })}>
              <option value="">choose…</option>
              {q.options.map((o) => <option key={o}>{o}</option>)}
            </select>
          ) : (
            <input value={answers[q.id] ?? ""} onChange={(e) => setAnswers({ ...answers, [q.id]: e.target.value })} />
          )}
        </label>
      ))}
      <button type="submit">Answer</button>
    </form>
  )
}

export interface FocusActions {
  readonly message: (text: string) => void
  readonly interrupt: () => void
  readonly approve: (requestId: string, decision: "accept" | "decline") => void
  readonly answer: (requestId: string, answers: Record<string, string>) => void
  readonly advance: () => void
  readonly merge: () => void
  readonly archive: () => void
  readonly diff: () => void
}

export const Focused = (props: { readonly focused: FocusedSession; readonly actions: FocusActions }) => {
  const { focused, actions } = props
  const [text, setText] = useState("")
  const [confirming, setConfirming] = useState<"merge" | "archive" | null>(null)
  const hasWork = focused.workItemId !== null
  return (
    <section aria-label="Focused session">
      <h2>
        {focused.label} · <span data-testid="workflow-state">{focused.workflowState ?? "no work item"}</span> · <span className="dim">{focused.state}{focused.turnActive ? " (working)" : ""}</span>
      </h2>
      <PullRequest pr={focused.side.pullRequest} files={focused.side.changedFiles} />
      {focused.side.summary === null ? null : <p className="dim">{focused.side.summary}</p>}
      <div className="actions">
        {hasWork ? <button onClick={actions.advance}>Advance</button> : null}
        {hasWork && confirming !== "merge" ? <button onClick={() => setConfirming("merge")}>Merge…</button> : null}
        {confirming === "merge" ? <button className="warn" onClick={() => { setConfirming(null); actions.merge() }}>Confirm merge</button> : null}
        {hasWork && confirming !== "archive" ? <button onClick={() => setConfirming("archive")}>Archive…</button> : null}
        {confirming === "archive" ? <button className="bad" onClick={() => { setConfirming(null); actions.archive() }}>Confirm archive</button> : null}
        {hasWork ? <button onClick={actions.diff}>Diff</button> : null}
        {focused.turnActive ? <button onClick={actions.interrupt}>Interrupt</button> : null}
      </div>
      {focused.pending.map((p) => <Pending key={p.requestId} request={p} onApprove={actions.approve} onAnswer={actions.answer} />)}
      <div className="transcript" data-testid="transcript">
        {focused.blocks.map((block) => <Block key={block.id} block={block} />)}
      </div>
      <form className="inline" onSubmit={(e) => { e.preventDefault(); if (text.trim() !== "") { actions.message(text); setText("") } }}>
        <input aria-label="Message" placeholder={focused.turnActive ? "steer the running turn" : "message the agent"} value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit">Send</button>
      </form>
    </section>
  )
}

export const Chat = (props: { readonly available: boolean; readonly answer: string; readonly busy: boolean; readonly onAsk: (q: string) => void }) => {
  const [question, setQuestion] = useState("")
  return (
    <section aria-label="Supervisor">
      <h2>Supervisor</h2>
      {props.available ? (
        <form className="inline" onSubmit={(e) => { e.preventDefault(); if (question.trim() !== "") props.onAsk(question) }}>
          <input aria-label="Question" placeholder="ask about the work" value={question} onChange={(e) => setQuestion(e.target.value)} />
          <button type="submit" disabled={props.busy}>Ask</button>
        </form>
      ) : (
        <p className="dim">The supervisor needs OPENROUTER_API_KEY in the environment.</p>
      )}
      {props.answer === "" ? null : <div className="block">{props.answer}</div>}
    </section>
  )
}
