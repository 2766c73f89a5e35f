import * as Http from "node:http"
import type { AddressInfo } from "node:net"

/** A request as a wire-level fake sees it. */
export interface FakeRequest {
  readonly method: string
  /** Path and query string, e.g. `/api/v3/search/stories?query=...`. */
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: unknown
}

export interface FakeReply {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  /** Serialized as JSON unless it is a string (sent as is, for malformed answers). */
  readonly body?: unknown
}

/** `hang`: never answer (the client's timeout must fire). */
export type Handler = (request: FakeRequest) => FakeReply | "hang"

export interface JsonServer {
  readonly url: string
  readonly close: () => Promise<void>
}

const readBody = (request: Http.IncomingMessage): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("error", reject)
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8")
      try {
        resolve(text === "" ? null : JSON.parse(text))
      } catch {
        resolve(text)
      }
    })
  })

/** An HTTP server on 127.0.0.1, port 0, answering JSON after `latencyMs`. */
export const startJsonServer = (handler: Handler, latencyMs = 0): Promise<JsonServer> =>
  new Promise((resolve) => {
    const server = Http.createServer((request, response) => {
      void readBody(request).then((body) => {
        const reply = handler({ method: request.method ?? "GET", url: request.url ?? "/", headers: request.headers, body })
        if (reply === "hang") return
        const send = () => {
          const payload = reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body)
          response.writeHead(reply.status, { "content-type": "application/json", ...reply.headers })
          response.end(payload)
        }
        if (latencyMs > 0) setTimeout(send, latencyMs)
        else send()
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })

/** Newest first by ISO time; a plain compare (ISO strings sort as times, and localeCompare is slow). */
export const byUpdatedDesc = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0)
