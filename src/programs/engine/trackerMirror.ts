import { Effect, Option } from "effect"
import { pullRequestNumberFromUrl } from "../../domain/vcsPullRequest.js"
import { agentSummary } from "../../layers/workflow/summary.js"
import { moveCount, trackerPullRequest, trackerState } from "../../layers/workflow/tracker.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventStore } from "../../services/EventStore.js"
import { Ticketing } from "../../services/Ticketing.js"

/**
 * Brings the tracker up to every work item's current state. The PR pipeline moves work on by
 * itself (ready, approved, merged, closed) without touching the tracker, and a crash between
 * opening a pull request and linking it leaves the link and comment undone: both are caught up
 * here. Every change is keyed (tracker.ts), so nothing is posted twice; an item is looked at again
 * only when its state or pull request changed since the last round (all of them after a start).
 */
export const makeTrackerMirror = Effect.gen(function* () {
  const config = yield* AppConfig
  const store = yield* EventStore
  const ticketing = yield* Ticketing
  const deps = { store, ticketing }
  const mirrored = new Map<string, string>()

  return Effect.gen(function* () {
    for (const item of yield* store.workItems) {
      const fingerprint = `${item.state} ${item.pullRequestUrl ?? ""}`
      if (item.state === "New" || mirrored.get(item.id) === fingerprint) continue
      yield* trackerState(deps, item.ticketId, item.id, item.state, yield* moveCount(deps, item.id, item.state))
      const number = Option.orElse(Option.fromNullable(item.pullRequestNumber), () =>
        Option.flatMap(Option.fromNullable(item.pullRequestUrl), pullRequestNumberFromUrl)
      )
      if (item.pullRequestUrl !== null && Option.isSome(number)) {
        const pr = { url: item.pullRequestUrl, number: number.value }
        yield* trackerPullRequest(deps, config.settings.tracker, item, pr, yield* agentSummary(store, item.id))
      }
      mirrored.set(item.id, fingerprint)
    }
  })
})
