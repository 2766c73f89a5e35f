import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer } from "effect"

/**
 * The tracker layer, loaded when a command first needs it: its HTTP client and the Linear and
 * Shortcut code stay out of the start-up path of commands that never talk to a tracker.
 * HTTP goes through Node's built-in fetch (no extra client module to load).
 */
export const LazyTicketingLive = Layer.unwrapEffect(
  Effect.promise(() => import("../../layers/ticketing/TicketingLive.js")).pipe(
    Effect.map((module) => module.TicketingLive.pipe(Layer.provide(FetchHttpClient.layer)))
  )
)
