import { Duration, Effect, Option } from "effect"
import { pullRequestNumberFromUrl } from "../../domain/vcsPullRequest.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventStore } from "../../services/EventStore.js"
import { Ticketing } from "../../services/Ticketing.js"
import { agentSummary } from "./summary.js"
import { moveCount, trackerPullRequest, trackerState } from "./tracker.js"

/**
 * Repairs what a crash left undone on the tracker: the workflow writer mirrors every move as it
 * records it, and opening a pull request links and comments it, but a crash between the record and
 * the tracker call leaves that undone. Run once at start. Every change is keyed (tracker.ts): one
 * already recorded is skipped, so nothing is posted twice and a repaired item is not touched again.
 * Only items that can need it are visited (EventStore.workItemsForTrackerRepair): finished history is not.
 */
export const repairTrackerMirror = Effect.gen(function* () {
  const config = yield* AppConfig
  const store = yield* EventStore
  const ticketing = yield* Ticketing
  const deps = { store, ticketing }
  for (const item of yield* store.workItemsForTrackerRepair) {
    // A turn of the event loop between items: the store's calls are synchronous and Effect's scheduler
    // hands the loop back only every few thousand yields, so without it a SIGINT waits for the whole repair.
    yield* Effect.sleep(Duration.zero)
    if (item.state === "New") continue
    yield* trackerState(deps, item.ticketId, item.id, item.state, yield* moveCount(deps, item.id, item.state))
    const number = Option.orElse(Option.fromNullable(item.pullRequestNumber), () =>
      Option.flatMap(Option.fromNullable(item.pullRequestUrl), pullRequestNumberFromUrl)
    )
    if (item.pullRequestUrl !== null && Option.isSome(number)) {
      const pr = { url: item.pullRequestUrl, number: number.value }
      yield* trackerPullRequest(deps, config.settings.tracker, item, pr, yield* agentSummary(store, item.id))
    }
  }
})
