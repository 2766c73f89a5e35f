import type * as LanguageModel from "@effect/ai/LanguageModel"
// Deep imports: the package index re-exports its tokenizer, a megabyte of BPE ranks we never use.
import * as OpenAiClient from "@effect/ai-openai/OpenAiClient"
import * as OpenAiLanguageModel from "@effect/ai-openai/OpenAiLanguageModel"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { Effect, Layer, Option } from "effect"
import { AppConfig } from "../../services/AppConfig.js"
import { Supervisor } from "../../services/Supervisor.js"
import type { RetryPolicy } from "../http/retry.js"
import { defaultModelRetryPolicy, retryOnStatus } from "./httpRetry.js"
import { defaultSupervisorOptions, makeSupervisor, type SupervisorOptions } from "./makeSupervisor.js"

/** OpenRouter's app attribution headers. */
export const openRouterHeaders = {
  "HTTP-Referer": "https://github.com/orchestrator-cli/orchestrator",
  "X-Title": "orchestrator"
} as const

/**
 * `supervisor.model` through OpenRouter's Responses API at `supervisor.openrouter_base_url`,
 * with the key from OPENROUTER_API_KEY (absent: the Supervisor refuses each call with one sentence).
 */
export const OpenRouterModel = (retry: RetryPolicy): Layer.Layer<LanguageModel.LanguageModel, never, AppConfig> =>
  Layer.unwrapEffect(
    Effect.map(AppConfig, (config) =>
      OpenAiLanguageModel.layer({ model: config.settings.supervisor.model }).pipe(
        Layer.provide(
          OpenAiClient.layer({
            apiUrl: config.settings.supervisor.openrouter_base_url,
            apiKey: Option.getOrUndefined(config.secrets.openrouterApiKey),
            transformClient: (client) =>
              client.pipe(HttpClient.mapRequest(HttpClientRequest.setHeaders(openRouterHeaders)), retryOnStatus(retry))
          })
        ),
        Layer.provide(FetchHttpClient.layer)
      )
    )
  )

export const makeSupervisorLive = (
  options: SupervisorOptions = defaultSupervisorOptions,
  retry: RetryPolicy = defaultModelRetryPolicy
) => Layer.effect(Supervisor, makeSupervisor(options)).pipe(Layer.provide(OpenRouterModel(retry)))

/** Needs AppConfig, EventStore and Ticketing. */
export const SupervisorLive = makeSupervisorLive()
