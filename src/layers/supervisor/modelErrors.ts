import type * as AiError from "@effect/ai/AiError"
import { Either, Schema } from "effect"
import { SupervisorAuthError, SupervisorError } from "../../domain/supervisorErrors.js"

/** OpenRouter's error body: `{"error":{"code","message"}}`. */
const OpenRouterErrorBody = Schema.parseJson(
  Schema.Struct({ error: Schema.Struct({ message: Schema.String, code: Schema.optional(Schema.Unknown) }) })
)
const decodeErrorBody = Schema.decodeUnknownEither(OpenRouterErrorBody)

const maxDetail = 300

/** The provider's own message when the body is OpenRouter's error shape, else the text itself, clipped. */
const providerMessage = (...candidates: ReadonlyArray<string | undefined>): string => {
  for (const candidate of candidates) {
    if (candidate === undefined) continue
    const decoded = decodeErrorBody(candidate)
    if (Either.isRight(decoded)) return decoded.right.error.message.slice(0, maxDetail)
  }
  const first = candidates.find((candidate) => candidate !== undefined && candidate !== "")
  return (first ?? "no details").slice(0, maxDetail)
}

const authStatuses: ReadonlyArray<number> = [401, 402, 403]

/** Library errors stop here: the port speaks SupervisorError / SupervisorAuthError only. */
export const fromAiError =
  (operation: string) =>
  (error: AiError.AiError): SupervisorError | SupervisorAuthError => {
    switch (error._tag) {
      case "HttpResponseError": {
        const status = error.response.status
        const detail = providerMessage(error.body, error.description)
        if (authStatuses.includes(status)) return new SupervisorAuthError({ status, detail })
        const gaveUp = status === 429 || status >= 500 ? " (gave up after the bounded retries)" : ""
        return new SupervisorError({ operation, detail: `OpenRouter answered HTTP ${status}: ${detail}${gaveUp}` })
      }
      case "HttpRequestError":
        return new SupervisorError({ operation, detail: `cannot reach OpenRouter: ${error.description ?? error.reason}` })
      case "MalformedOutput":
      case "MalformedInput":
      case "UnknownError":
        return new SupervisorError({ operation, detail: `unexpected answer: ${(error.description ?? error._tag).slice(0, maxDetail)}` })
    }
  }
