import type { CommandExecutor } from "@effect/platform"
import { Deferred, Duration, Effect, Either, Option, Queue, Ref, type Scope, Schema } from "effect"
import { HarnessError } from "../../../domain/errors.js"
import type { HarnessLog } from "../jsonlLog.js"
import { startProcessLines } from "../processLines.js"
import { Incoming, type RequestId, tagIncoming } from "./protocol.js"

const harness = "harness.codex"

/** JSON-RPC over the app-server's stdio: newline-delimited JSON without a `jsonrpc` field. */
export interface RpcConnection {
  /** Sends a request and waits for its result, within the connection's request timeout. */
  readonly request: (method: string, params: unknown) => Effect.Effect<unknown, HarnessError>
  readonly notify: (method: string, params?: unknown) => Effect.Effect<void, HarnessError>
  readonly respond: (id: RequestId, result: unknown) => Effect.Effect<void, HarnessError>
  readonly respondError: (id: RequestId, code: number, message: string) => Effect.Effect<void, HarnessError>
  /** Completes with the reason once the server's stdout has ended (the process exited). */
  readonly closed: Effect.Effect<string>
}

export interface RpcHandlers {
  readonly onNotification: (method: string, params: unknown) => Effect.Effect<void>
  readonly onServerRequest: (id: RequestId, method: string, params: unknown) => Effect.Effect<void>
}

export interface RpcOptions {
  readonly process: CommandExecutor.Process
  readonly log: HarnessLog
  readonly requestTimeout: Duration.DurationInput
  readonly handlers: RpcHandlers
}

const parseLine = Schema.decodeUnknownEither(Schema.parseJson())
const decodeLine = Schema.decodeUnknownEither(Incoming)

const rpcError = (operation: string, detail: string) => new HarnessError({ harness, operation, detail })

/** Starts the reader and writer fibers in the current scope; they stop when it closes. */
export const makeRpcConnection = (options: RpcOptions): Effect.Effect<RpcConnection, never, Scope.Scope> =>
  Effect.gen(function* () {
    const nextId = yield* Ref.make(0)
    const pending = new Map<RequestId, Deferred.Deferred<unknown, HarnessError>>()
    const dispatch = (line: string): Effect.Effect<void> => {
      if (line.trim() === "") return Effect.void
      const parsed = parseLine(line)
      if (Either.isLeft(parsed)) return Effect.logWarning(`${harness}: ignoring a line that is not JSON: ${line.slice(0, 200)}`)
      const json = parsed.right
      return Effect.zipRight(
        options.log.raw("in", json),
        decodeLine(tagIncoming(json)).pipe(
          Effect.matchEffect({
            onFailure: () => Effect.logWarning(`${harness}: ignoring an unexpected message: ${line.slice(0, 200)}`),
            onSuccess: (message) => {
              switch (message._tag) {
                case "Notification":
                  return options.handlers.onNotification(message.method, message.params)
                case "ServerRequest":
                  return options.handlers.onServerRequest(message.id, message.method, message.params)
                case "Success":
                case "Failure": {
                  const waiter = pending.get(message.id)
                  if (waiter === undefined) return Effect.void
                  pending.delete(message.id)
                  return message._tag === "Success"
                    ? Deferred.succeed(waiter, message.result)
                    : Deferred.fail(waiter, rpcError("request", `error ${message.error.code}: ${message.error.message}`))
                }
              }
            }
          })
        )
      )
    }

    const { closed: closedReason, stdin: outgoing } = yield* startProcessLines({ process: options.process, name: "codex app-server", onLine: dispatch })
    // Requests still waiting when the app-server is gone fail with its reason.
    yield* Deferred.await(closedReason).pipe(
      Effect.flatMap((reason) =>
        Effect.gen(function* () {
          for (const waiter of pending.values()) yield* Deferred.fail(waiter, rpcError("request", reason))
          pending.clear()
        })
      ),
      Effect.forkScoped
    )

    const send = (message: Record<string, unknown>, operation: string) =>
      Effect.gen(function* () {
        const closed = yield* Deferred.poll(closedReason)
        if (Option.isSome(closed)) return yield* Effect.fail(rpcError(operation, yield* closed.value))
        yield* options.log.raw("out", message)
        // Full only when the server stopped reading its stdin: give up rather than wait forever.
        yield* Queue.offer(outgoing, JSON.stringify(message)).pipe(
          Effect.timeoutFail({
            duration: options.requestTimeout,
            onTimeout: () => rpcError(operation, `the app-server took no input for ${Duration.format(options.requestTimeout)}`)
          })
        )
      })

    const request = (method: string, params: unknown) =>
      Effect.gen(function* () {
        const id = yield* Ref.getAndUpdate(nextId, (n) => n + 1)
        const waiter = yield* Deferred.make<unknown, HarnessError>()
        pending.set(id, waiter)
        yield* send({ method, id, params }, method)
        return yield* Deferred.await(waiter).pipe(
          Effect.mapError((error) => rpcError(method, error.detail)),
          Effect.ensuring(Effect.sync(() => pending.delete(id)))
        )
      }).pipe(
        Effect.timeoutFail({
          duration: options.requestTimeout,
          onTimeout: () => rpcError(method, `no answer within ${Duration.format(options.requestTimeout)}`)
        })
      )

    return {
      request,
      notify: (method, params) => send(params === undefined ? { method } : { method, params }, method),
      respond: (id, result) => send({ id, result }, "answer a server request"),
      respondError: (id, code, message) => send({ id, error: { code, message } }, "answer a server request"),
      closed: Deferred.await(closedReason)
    }
  })
