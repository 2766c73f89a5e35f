import { Clock, Effect, Option } from "effect"
import type { SessionId } from "../../domain/ids.js"
import { isTerminalSessionState } from "../../domain/session.js"
import { EventStore } from "../../services/EventStore.js"
import { SessionRuntime } from "../../services/SessionRuntime.js"
import { readWorkStart } from "../run/focusedWork.js"
import { eventsAsDeliveries, foldFocused } from "../view/focusFold.js"
import { applyRunners, applySnapshot, applyWorkEvents } from "../view/listFold.js"
import { emptySidePanel, emptyViewModel, type FocusedSession } from "../view/viewModel.js"
import type { SessionDetail, StateSnapshot } from "./viewSchemas.js"
import type { Feed } from "./feed.js"
import type { SymphonyState } from "./symphonySchema.js"
import type { SessionTally } from "./tally.js"

export interface ReadSettings {
  readonly transcriptLineLimit: number
  readonly pickerStates: ReadonlyArray<string>
  readonly supervisor: boolean
}

/** Events of a session read for its transcript (as the screen does when it gets focus). */
const HISTORY_FACTOR = 4

/** The token totals of every session the feed has tallied. */
const totalTokens = (feed: Feed) => {
  const tokens = { input: 0, output: 0, total: 0 }
  for (const tally of feed.tallies().values()) {
    tokens.input += tally.input
    tokens.output += tally.output
    tokens.total += tally.total
  }
  return tokens
}

const tokensOf = (tally: SessionTally | undefined) => ({ input: tally?.input ?? 0, output: tally?.output ?? 0, total: tally?.total ?? 0 })

/** The dashboard's state: the screen's lists (sessions by stage, inbox, tickets) from the store, and the counts. */
export const stateSnapshot = (feed: Feed, settings: ReadSettings) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const runtime = yield* SessionRuntime
    // Read before the lists: a stream opened after this sequence repeats rather than misses a change.
    const seq = yield* store.lastSeq
    const [sessions, tickets, workItems, inbox] = yield* Effect.all(
      [store.sessions({}), store.tickets({}), store.workItems, store.inbox({ openOnly: true })],
      { concurrency: 1 }
    )
    const listed = applySnapshot(emptyViewModel(settings.transcriptLineLimit, settings.pickerStates), { sessions, tickets, workItems, inbox })
    const vm = applyRunners(listed, yield* store.runners, yield* Clock.currentTimeMillis)
    const live = (yield* runtime.sessions).filter((s) => !isTerminalSessionState(s.state))
    const tokens = totalTokens(feed)
    return {
      seq,
      sessions: vm.sessions,
      inbox: vm.inbox,
      tickets: vm.tickets,
      counts: {
        running: live.filter((s) => s.state === "Running").length,
        live: live.length,
        queued: live.filter((s) => s.state === "Starting").length,
        inbox: vm.inbox.length
      },
      tokens,
      supervisor: settings.supervisor,
      runners: vm.runners ?? []
    } satisfies StateSnapshot
  })

/** One session as the screen shows it focused: transcript, pending requests, PR and CI, changed files. */
export const sessionDetail = (feed: Feed, sessionId: SessionId, limit: number) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const seq = yield* store.lastSeq
    const row = yield* store.session(sessionId)
    if (Option.isNone(row)) return Option.none<SessionDetail>()
    const session = row.value
    const history = yield* store.events({
      sessionId,
      types: ["SessionEvent", "UserResponded", "AgentInstructed"],
      limit: limit * HISTORY_FACTOR,
      newestFirst: true
    })
    // Only what the stream after `seq` will not bring again.
    const events = history.filter((stored) => stored.seq <= seq).reverse().map((stored) => stored.event)
    const start: FocusedSession = {
      sessionId,
      workItemId: session.workItemId,
      label: session.ticketIdentifier ?? sessionId.slice(0, 8),
      state: session.state,
      workflowState: session.workflowState,
      turnActive: false,
      blocks: [],
      pending: [],
      side: { ...emptySidePanel, pullRequest: session.pullRequestUrl === null ? null : { _tag: "Link", url: session.pullRequestUrl } }
    }
    const folded = foldFocused(start, eventsAsDeliveries(events), limit)
    const work = session.workItemId === null ? [] : (yield* readWorkStart(store, session.workItemId)).events
    const view = applyWorkEvents({ ...emptyViewModel(limit, []), focused: folded }, work).focused ?? folded
    return Option.some({ seq, session, view, tokens: tokensOf(feed.tally(sessionId)) } satisfies SessionDetail)
  })

const iso = (millis: number): string => new Date(millis).toISOString()

/** Symphony's `GET /api/v1/state` (SPEC §13.7.2): running rows, retries, token and runtime totals. */
export const symphonyState = (feed: Feed) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const runtime = yield* SessionRuntime
    const now = yield* Clock.currentTimeMillis
    const live = (yield* runtime.sessions).filter((s) => !isTerminalSessionState(s.state))
    const running: Array<SymphonyState["running"][number]> = []
    const retrying: Array<SymphonyState["retrying"][number]> = []
    let secondsRunning = 0
    for (const view of live) {
      const row = yield* store.session(view.sessionId)
      if (Option.isNone(row)) continue
      const tally = feed.tally(view.sessionId)
      const identifier = row.value.ticketIdentifier ?? view.sessionId
      secondsRunning += Math.max(0, now - row.value.createdAt) / 1000
      running.push({
        issue_id: row.value.ticketId,
        issue_identifier: identifier,
        state: row.value.workflowState ?? view.state,
        session_id: view.sessionId,
        turn_count: tally?.turns ?? 0,
        last_event: tally?.lastEvent ?? null,
        last_message: tally?.lastMessage ?? "",
        started_at: iso(row.value.createdAt),
        last_event_at: tally?.lastEventAt == null ? null : iso(tally.lastEventAt),
        tokens: { input_tokens: tally?.input ?? 0, output_tokens: tally?.output ?? 0, total_tokens: tally?.total ?? 0 }
      })
      if (view.stallRetries > 0) {
        retrying.push({ issue_id: row.value.ticketId, issue_identifier: identifier, attempt: view.stallRetries, due_at: null, error: view.stalled ? "stalled" : null })
      }
    }
    const tokens = totalTokens(feed)
    return {
      generated_at: iso(now),
      counts: { running: running.length, retrying: retrying.length },
      running,
      retrying,
      codex_totals: {
        input_tokens: tokens.input,
        output_tokens: tokens.output,
        total_tokens: tokens.total,
        seconds_running: Math.round(secondsRunning * 10) / 10
      },
      rate_limits: null
    } satisfies SymphonyState
  })

