import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Duration, Effect, Fiber, Ref } from "effect"
import { runEventSubscription, type SubscriptionOptions } from "../../../../src/layers/harness/opencode/eventSubscription.js"
import { listenOnLoopback, sleep } from "../../../fakes/modelServer/httpFake.js"

/** A fake `/global/event`: each connection gets the next behaviour from the list. */
type Behaviour = "dropAfterOne" | "silent" | "refuse" | "stay" | "mute"

const sseServer = (behaviours: ReadonlyArray<Behaviour>) =>
  Effect.gen(function* () {
    let connection = 0
    const port = yield* listenOnLoopback(async (_req, res) => {
      const n = connection++
      const behaviour = behaviours[n] ?? "refuse"
      if (behaviour === "mute") return // accepts the request, never answers it
      if (behaviour === "refuse") {
        res.writeHead(503).end("unavailable")
        return
      }
      res.writeHead(200, { "content-type": "text/event-stream" })
      res.write(`data: ${JSON.stringify({ payload: { type: "server.connected", properties: {}, n } })}\n\n`)
      if (behaviour === "silent") return // open, but never another byte
      res.write(`data: ${JSON.stringify({ payload: { type: "session.idle", properties: { sessionID: `ses_${n}` } } })}\n\n`)
      if (behaviour === "dropAfterOne") {
        await sleep(20)
        res.destroy()
      }
    })
    return { url: `http://127.0.0.1:${port}/global/event`, connections: () => connection }
  })

const options = (url: string, frames: Ref.Ref<ReadonlyArray<unknown>>, overrides: Partial<SubscriptionOptions> = {}) =>
  ({
    url,
    headers: {},
    heartbeatTimeout: Duration.millis(300),
    maxAttempts: 3,
    baseDelay: Duration.millis(10),
    maxDelay: Duration.millis(50),
    onFrame: (json) => Ref.update(frames, (all) => [...all, json]),
    onConnected: Effect.void,
    onGarbage: () => Effect.void,
    ...overrides
  }) satisfies SubscriptionOptions

const sessionsSeen = (frames: ReadonlyArray<unknown>) =>
  frames.flatMap((frame) => {
    const text = JSON.stringify(frame)
    const match = /"sessionID":"(ses_\d+)"/.exec(text)
    return match?.[1] === undefined ? [] : [match[1]]
  })

describe("OpenCode event subscription", () => {
  it.scopedLive("reconnects after a dropped stream and after heartbeat silence, keeping every frame in order", () =>
    Effect.gen(function* () {
      const server = yield* sseServer(["dropAfterOne", "silent", "stay"])
      const frames = yield* Ref.make<ReadonlyArray<unknown>>([])
      const connected = yield* Ref.make(0)
      const third = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(
        runEventSubscription(
          options(server.url, frames, {
            onConnected: Ref.updateAndGet(connected, (n) => n + 1).pipe(
              Effect.flatMap((n) => (n === 3 ? Deferred.succeed(third, undefined) : Effect.void))
            )
          })
        ).pipe(Effect.provide(NodeHttpClient.layerUndici))
      )
      yield* Deferred.await(third).pipe(Effect.timeout("10 seconds"))
      // The third connection's idle frame arrives right after its connected frame.
      yield* Effect.repeat(Ref.get(frames), { until: (all) => sessionsSeen(all).includes("ses_2"), times: 200 }).pipe(
        Effect.zipLeft(Effect.sleep("10 millis"))
      )
      expect(sessionsSeen(yield* Ref.get(frames))).toEqual(["ses_0", "ses_2"])
      expect(server.connections()).toBe(3)
      yield* Fiber.interrupt(fiber)
    })
  )

  it.scopedLive("gives up after the bounded number of failed connections and says why", () =>
    Effect.gen(function* () {
      const server = yield* sseServer(["refuse", "refuse", "refuse", "refuse"])
      const frames = yield* Ref.make<ReadonlyArray<unknown>>([])
      const reason = yield* runEventSubscription(options(server.url, frames)).pipe(
        Effect.provide(NodeHttpClient.layerUndici),
        Effect.timeout("10 seconds")
      )
      expect(reason).toBe("HTTP 503")
      expect(server.connections()).toBe(3)
      expect(yield* Ref.get(frames)).toEqual([])
    })
  )

  it.scopedLive("a server that never answers the request counts as a failed connection", () =>
    Effect.gen(function* () {
      const server = yield* sseServer(["mute", "mute", "mute"])
      const frames = yield* Ref.make<ReadonlyArray<unknown>>([])
      const reason = yield* runEventSubscription(options(server.url, frames)).pipe(
        Effect.provide(NodeHttpClient.layerUndici),
        Effect.timeout("10 seconds")
      )
      expect(reason).toBe("no answer within 300ms")
      expect(server.connections()).toBe(3)
    })
  )
})
