import * as http from "node:http"

export interface HttpAnswer {
  readonly status: number
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
}

/** One HTTP request with exactly the headers given (node:http lets a test send any Host). */
export const httpCall = (url: string, options: { readonly method?: string; readonly headers?: Record<string, string>; readonly body?: unknown } = {}): Promise<HttpAnswer> =>
  new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
    const request = http.request(
      url,
      {
        method: options.method ?? "GET",
        headers: { ...(payload === undefined ? {} : { "content-type": "application/json" }), ...options.headers }
      },
      (response) => {
        let body = ""
        response.setEncoding("utf8")
        response.on("data", (chunk: string) => void (body += chunk))
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
      }
    )
    request.on("error", reject)
    request.setTimeout(30_000, () => request.destroy(new Error(`${url}: no answer in 30 s`)))
    if (payload !== undefined) request.write(payload)
    request.end()
  })

export interface SseFrame {
  readonly id: number | null
  readonly event: string
  readonly data: string
}

/**
 * Reads an event stream until `enough` says so (or `timeoutMs`), then closes it. `lastEventId`
 * resumes as a browser's reconnect would.
 */
export const readSse = (
  url: string,
  headers: Record<string, string>,
  enough: (frames: ReadonlyArray<SseFrame>) => boolean,
  timeoutMs = 20_000
): Promise<ReadonlyArray<SseFrame>> =>
  new Promise((resolve, reject) => {
    const frames: Array<SseFrame> = []
    let buffer = ""
    const request = http.get(url, { headers }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`${url}: ${response.statusCode}`))
      response.setEncoding("utf8")
      response.on("data", (chunk: string) => {
        buffer += chunk
        let end = buffer.indexOf("\n\n")
        while (end >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const lines = block.split("\n")
          const field = (name: string) => lines.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2)
          const data = field("data")
          if (data !== undefined) {
            const id = field("id")
            frames.push({ id: id === undefined ? null : Number(id), event: field("event") ?? "message", data })
          }
          end = buffer.indexOf("\n\n")
        }
        if (enough(frames)) {
          clearTimeout(timer)
          request.destroy()
          resolve(frames)
        }
      })
    })
    const timer = setTimeout(() => {
      request.destroy()
      resolve(frames)
    }, timeoutMs)
    request.on("error", (error) => {
      if (!request.destroyed) reject(error)
    })
  })
