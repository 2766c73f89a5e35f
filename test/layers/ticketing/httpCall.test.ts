import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { createServer } from "node:net"
import { send, withRetry } from "../../../src/layers/ticketing/httpCall.js"
import { fastRetry } from "./httpClient.js"

/** A port nothing listens on: bound, then closed. */
const closedPort = Effect.promise(
  () =>
    new Promise<number>((resolve) => {
      const server = createServer()
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        const port = typeof address === "object" && address !== null ? address.port : 0
        server.close(() => resolve(port))
      })
    })
)

describe("tracker HTTP calls", () => {
  it.live("a server that cannot be reached is named by its URL, with the transport's cause", () =>
    Effect.gen(function* () {
      const url = `http://127.0.0.1:${yield* closedPort}/graphql`
      const client = yield* HttpClient.HttpClient
      const site = { provider: "linear", operation: "list issues", envVar: "LINEAR_API_KEY" }
      const error = yield* withRetry(fastRetry, site.provider, site.operation, send(client, HttpClientRequest.post(url), site, fastRetry)).pipe(Effect.flip)
      expect(error.message).toContain(`cannot reach ${url}`)
      expect(error.message).toMatch(/ECONNREFUSED/)
    }).pipe(Effect.provide(FetchHttpClient.layer))
  )
})
