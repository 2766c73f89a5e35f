import { NodeHttpClient } from "@effect/platform-node"
import { Layer } from "effect"
import type { TrackerRetryPolicy } from "../../../src/layers/ticketing/httpCall.js"

/** The client lives as long as the test's scope (a provided Layer would close it after `make`). */
export const httpClient = Layer.build(NodeHttpClient.layerUndici)

/** Real retries with millisecond waits: the fault tests exercise the schedule without sleeping. */
export const fastRetry: TrackerRetryPolicy = {
  maxAttempts: 4,
  baseDelay: "1 millis",
  maxDelay: "5 millis",
  maxElapsed: "20 seconds",
  requestTimeout: "5 seconds"
}
