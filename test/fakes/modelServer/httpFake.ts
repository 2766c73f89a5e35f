import { Effect, type Scope } from "effect"
import * as Http from "node:http"
import type { Socket } from "node:net"

/**
 * A plain node HTTP server on 127.0.0.1, port 0, for wire-level fakes. Scoped: closing the scope
 * destroys open sockets (half-finished streams included) before closing the server.
 */
export const listenOnLoopback = (
  handler: (req: Http.IncomingMessage, res: Http.ServerResponse) => Promise<void>
): Effect.Effect<number, never, Scope.Scope> => {
  const server = Http.createServer((req, res) => {
    handler(req, res).catch(() => res.destroy())
  })
  const sockets = new Set<Socket>()
  server.on("connection", (socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  return Effect.acquireRelease(
    Effect.async<number>((resume) => {
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0))
      })
    }),
    () =>
      Effect.async<void>((resume) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resume(Effect.void))
      })
  )
}

export const readBody = (req: Http.IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const parts: Array<Buffer> = []
    req.on("data", (part: Buffer) => parts.push(part))
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")))
    req.on("error", reject)
  })

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** A request body as JSON, or the raw text when it is not JSON (recorded for the test to see). */
export const parseJsonOrText = (raw: string): unknown => {
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}

/** Writes SSE frames, waiting `delayMs` before each (a slow stream); stops if the client went away. */
export const streamFrames = async (res: Http.ServerResponse, frames: ReadonlyArray<string>, delayMs?: number): Promise<void> => {
  for (const frame of frames) {
    if (delayMs !== undefined) await sleep(delayMs)
    if (res.destroyed) return
    res.write(frame)
  }
  res.end()
}
