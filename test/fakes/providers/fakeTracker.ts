import { Effect, Layer } from "effect"
import { makeTicketingTest } from "../../../src/layers/ticketing/Test.js"
import type { TrackerProviderRow } from "../../../src/layers/ticketing/providers.js"
import { Ticketing } from "../../../src/services/Ticketing.js"

/** A third tracker as a new adapter would add it: its own layer, its own key, one row. */
export const fakeTrackerRow: TrackerProviderRow = {
  id: "ticketing.fake",
  name: "Fake",
  secretEnv: "FAKE_TRACKER_TOKEN",
  settingsSection: undefined,
  capabilities: { remote: true, comments: false, links: false },
  layer: Layer.effect(
    Ticketing,
    Effect.map(makeTicketingTest({}), ({ service }) => Ticketing.of({ ...service, health: Effect.succeed("fake tracker: signed in") }))
  )
}
