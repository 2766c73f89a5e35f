import { Context, Effect, Layer, Option, Redacted } from "effect"
import { makeTicket } from "../../support/sampleEvents.js"
import { TicketId } from "../../../src/domain/ids.js"
import { configFromValue } from "../../../src/layers/config/ConfigLive.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import type { RetryPolicy } from "../../../src/layers/http/retry.js"
import { defaultSupervisorOptions, type SupervisorOptions } from "../../../src/layers/supervisor/makeSupervisor.js"
import { makeSupervisorLive } from "../../../src/layers/supervisor/SupervisorLive.js"
import { makeTicketingTest } from "../../../src/layers/ticketing/Test.js"
import { AppConfig } from "../../../src/services/AppConfig.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { Supervisor } from "../../../src/services/Supervisor.js"
import { Ticketing } from "../../../src/services/Ticketing.js"

export const OPENROUTER_KEY = "sk-or-v1-test-secret-0123456789"
export const LINEAR_KEY = "lin_api_test-secret-abcdefghij"

/** A ticket of the "test" provider, In Progress. */
export const testTicket = (n: number, title: string, description: string) =>
  makeTicket({ id: TicketId.make(`test:${n}`), provider: "test", identifier: `TST-${n}`, title, description })

export const ticket1 = testTicket(1, "Add retry to the sync", "The sync gives up on the first 429.")

export const fastRetry: RetryPolicy = { maxAttempts: 3, baseDelay: "10 millis", maxDelay: "5 seconds", maxElapsed: "1 minute" }

/** Settings pointing at `baseUrl`, with test keys for Linear and (unless `key` is false) OpenRouter. */
export const testConfig = (baseUrl: string, key: boolean) =>
  Effect.map(configFromValue({ supervisor: { openrouter_base_url: baseUrl, model: "openai/gpt-4o-mini" } }, "/tmp/unused"), (loaded) =>
    AppConfig.of({
      ...loaded,
      secrets: {
        ...loaded.secrets,
        linearApiKey: Option.some(Redacted.make(LINEAR_KEY)),
        openrouterApiKey: key ? Option.some(Redacted.make(OPENROUTER_KEY)) : Option.none()
      }
    })
  )

/**
 * The live Supervisor pointed at a fake OpenRouter, on a real in-memory SQLite store and the
 * ticketing test double. Built in the caller's scope.
 */
export const liveSupervisor = (
  baseUrl: string,
  options: { readonly key?: boolean; readonly retry?: RetryPolicy; readonly supervisor?: SupervisorOptions } = {}
) =>
  Effect.gen(function* () {
    const config = yield* testConfig(baseUrl, options.key ?? true)
    const tracker = yield* makeTicketingTest({ tickets: [ticket1] })
    const layer = makeSupervisorLive(options.supervisor ?? defaultSupervisorOptions, options.retry ?? fastRetry).pipe(
      Layer.provideMerge(EventStoreTest),
      Layer.provideMerge(Layer.succeed(Ticketing, tracker.service)),
      Layer.provide(Layer.succeed(AppConfig, config))
    )
    const context = yield* Layer.build(layer)
    return {
      supervisor: Context.get(context, Supervisor),
      store: Context.get(context, EventStore),
      ticketing: tracker.service,
      trackerLog: tracker.log
    }
  })
