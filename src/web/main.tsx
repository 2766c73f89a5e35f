/// <reference lib="dom" />
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react"
import { createRoot } from "react-dom/client"
import type { KeyCommand } from "../ui/keymap.js"
import { getJson, post, postStreaming } from "./api.js"
import { Chat, Focused, Inbox, Runners, SessionList, TicketPicker } from "./components.js"
import { listenForKeys } from "./keys.js"
import { makePageStore, type PageStore } from "./store.js"
import { css } from "./style.js"

/** Transcript blocks the page keeps for the focused session (the server keeps the full history). */
const LIMIT = 2000

const textOf = (body: unknown): string =>
  typeof body === "object" && body !== null && "text" in body && typeof body.text === "string" ? body.text : JSON.stringify(body)

const App = (props: { readonly store: PageStore }) => {
  const { store } = props
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot)
  const { vm } = state
  const [diff, setDiff] = useState<string | null>(null)
  const [answer, setAnswer] = useState("")
  const [asking, setAsking] = useState(false)

  useEffect(() => {
    store.start().catch((error: unknown) => store.setNotice(String(error)))
  }, [store])

  /** Runs an action; its failure (the API's message) becomes the notice line. */
  const act = useCallback(
    (label: string, run: () => Promise<unknown>) => {
      store.setNotice(`${label}…`)
      run().then(
        () => store.setNotice(label),
        (error: unknown) => store.setNotice(error instanceof Error ? error.message : String(error))
      )
    },
    [store]
  )
  const focus = useCallback((id: string) => act("focused", () => store.focus(id)), [act, store])
  const focused = vm.focused
  const session = focused === null ? "" : `/api/sessions/${encodeURIComponent(focused.sessionId)}`
  const work = focused?.workItemId == null ? "" : `/api/work-items/${encodeURIComponent(focused.workItemId)}`

  // The screen's keys, where they mean the same here: j/k move the focus, w n advances, D diffs, a/d answer.
  const keyRef = useRef<(command: KeyCommand) => void>(() => undefined)
  keyRef.current = (command) => {
    const index = vm.sessions.findIndex((s) => s.sessionId === focused?.sessionId)
    const approval = focused?.pending.find((p) => p._tag === "Approval")
    if (command === "moveDown" || command === "moveUp") {
      const next = vm.sessions[Math.min(vm.sessions.length - 1, Math.max(0, index + (command === "moveDown" ? 1 : -1)))]
      if (next !== undefined) focus(next.sessionId)
    } else if (command === "advance" && work !== "") act("workflow advanced", () => post(`${work}/advance`))
    else if (command === "openDiff" && work !== "") act("diff", () => getJson(`${work}/diff`).then((body) => setDiff(textOf(body))))
    else if ((command === "approve" || command === "decline") && approval !== undefined) {
      const decision = command === "approve" ? "accept" : "decline"
      act(decision === "accept" ? "approved" : "declined", () => post(`${session}/approval`, { requestId: approval.requestId, decision }))
    }
  }
  useEffect(() => listenForKeys((command) => keyRef.current(command)), [])

  return (
    <>
      <style>{css}</style>
      <header>
        <h1>orchestrator</h1>
        <span className={state.connected ? "ok" : "warn"} data-testid="connection">{state.connected ? "live" : "connecting…"}</span>
        {state.counts === null ? null : (
          <span className="dim">
            {state.counts.running} running · {state.counts.live} live · {state.counts.inbox} in inbox · {state.tokens?.total.toLocaleString("en-US") ?? 0} tokens
          </span>
        )}
        <Runners runners={vm.runners ?? []} />
        {vm.notice === null ? null : <span data-testid="notice">{vm.notice}</span>}
      </header>
      <div className="layout">
        <div>
          <SessionList sessions={vm.sessions} runners={vm.runners ?? []} focusedId={focused?.sessionId ?? null} onFocus={focus} />
          <Inbox inbox={vm.inbox} onFocus={focus} />
          <TicketPicker
            tickets={vm.tickets}
            onSync={() => act("synced", () => post("/api/tickets/sync").then(() => store.refresh()))}
            onStart={(ticketId, repoPath) =>
              act("started", async () => {
                const started = await post(`/api/tickets/${encodeURIComponent(ticketId)}/start`, repoPath === "" ? {} : { repoPath })
                if (typeof started === "object" && started !== null && "sessionId" in started && typeof started.sessionId === "string") {
                  await store.refresh()
                  await store.focus(started.sessionId)
                }
              })
            }
          />
        </div>
        <div>
          {focused === null ? (
            <section><p className="dim">Pick a session to follow its transcript.</p></section>
          ) : (
            <Focused
              focused={focused}
              actions={{
                message: (text) => act("sent", () => post(`${session}/message`, { text })),
                interrupt: () => act("interrupted", () => post(`${session}/interrupt`)),
                approve: (requestId, decision) => act(decision === "accept" ? "approved" : "declined", () => post(`${session}/approval`, { requestId, decision })),
                answer: (requestId, answers) => act("answered", () => post(`${session}/answer`, { requestId, answers })),
                advance: () => act("workflow advanced", () => post(`${work}/advance`)),
                merge: () => act("merge requested", () => post(`${work}/merge`)),
                archive: () => act("archived", () => post(`${work}/archive`)),
                diff: () => act("diff", () => getJson(`${work}/diff`).then((body) => setDiff(textOf(body))))
              }}
            />
          )}
          {diff === null ? null : (
            <section aria-label="Diff">
              <h2>Diff <button onClick={() => setDiff(null)}>close</button></h2>
              <pre className="diff">{diff === "" ? "(no changes)" : diff}</pre>
            </section>
          )}
          <Chat
            available={state.supervisor}
            answer={answer}
            busy={asking}
            onAsk={(question) => {
              setAnswer("")
              setAsking(true)
              act("answered", () =>
                postStreaming("/api/supervisor/ask", focused === null ? { question } : { question, sessionId: focused.sessionId }, (text) => setAnswer((a) => a + text)).finally(() => setAsking(false))
              )
            }}
          />
        </div>
      </div>
    </>
  )
}

const root = document.getElementById("root")
if (root !== null) {
  root.textContent = ""
  createRoot(root).render(<App store={makePageStore(LIMIT)} />)
}
