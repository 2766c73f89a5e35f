import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Duration, Effect, Option, Redacted, Schema } from "effect"
import { HarnessError } from "../../../domain/errors.js"
import { Health, SessionInfo, SessionStatusMap } from "./wire.js"

export const harnessName = "harness.opencode"

/** Where the server is and how to authenticate; the password never leaves this value unredacted. */
export interface ServerAddress {
  readonly baseUrl: string
  /** Basic auth user: `OPENCODE_SERVER_USERNAME` on the server's side, "opencode" by default. */
  readonly username: string
  readonly password: Option.Option<Redacted.Redacted<string>>
}

/** The user `opencode serve` expects when `OPENCODE_SERVER_USERNAME` is unset. */
export const defaultUsername = "opencode"

export const requestTimeout = Duration.seconds(30)

const fail = (operation: string, detail: string) => new HarnessError({ harness: harnessName, operation, detail })

/** Request headers for the server (Basic auth) and, when given, the worktree the call is scoped to. */
export const serverHeaders = (address: ServerAddress, directory?: string): Record<string, string> => {
  const headers: Record<string, string> = {}
  if (Option.isSome(address.password)) {
    const token = Buffer.from(`${address.username}:${Redacted.value(address.password.value)}`).toString("base64")
    headers["authorization"] = `Basic ${token}`
  }
  if (directory !== undefined) headers["x-opencode-directory"] = encodeURIComponent(directory)
  return headers
}

const truncate = (text: string): string => (text.length > 500 ? `${text.slice(0, 500)}…` : text)

/** The calls orchestrator makes to `opencode serve`; each is bounded by `requestTimeout`. */
export const makeOpenCodeClient = (address: ServerAddress) =>
  Effect.gen(function* () {
    const http = yield* HttpClient.HttpClient

    /** Runs a request; a non-2xx status fails with the body quoted, a 2xx one goes to `onOk`. */
    const exchange = <A>(
      operation: string,
      request: HttpClientRequest.HttpClientRequest,
      onOk: (body: string) => Effect.Effect<A, HarnessError>
    ) =>
      http.execute(request).pipe(
        Effect.flatMap((response) => response.text.pipe(Effect.map((body) => ({ status: response.status, body })))),
        Effect.scoped,
        Effect.timeoutFail({ duration: requestTimeout, onTimeout: () => fail(operation, `no answer within ${Duration.format(requestTimeout)}`) }),
        Effect.catchTag("RequestError", "ResponseError", (error) => Effect.fail(fail(operation, `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}${error.cause.cause instanceof Error ? ` (${error.cause.cause.message})` : ""}` : ""}`))),
        Effect.flatMap(({ status, body }) =>
          status >= 200 && status < 300 ? onOk(body) : Effect.fail(fail(operation, `HTTP ${status}: ${truncate(body)}`))
        )
      )

    const send = (operation: string, request: HttpClientRequest.HttpClientRequest) =>
      exchange(operation, request, () => Effect.void)

    const readJson = <A, I>(operation: string, schema: Schema.Schema<A, I>, request: HttpClientRequest.HttpClientRequest) =>
      exchange(operation, request, (body) =>
        Schema.decodeUnknown(Schema.parseJson(schema))(body).pipe(
          Effect.mapError((error) => fail(operation, `unexpected answer (${error.message}): ${truncate(body)}`))
        )
      )

    const url = (path: string) => `${address.baseUrl}${path}`
    const post = (path: string, directory: string, body?: unknown) => {
      const request = HttpClientRequest.post(url(path)).pipe(HttpClientRequest.setHeaders(serverHeaders(address, directory)))
      return body === undefined ? request : HttpClientRequest.bodyUnsafeJson(request, body)
    }
    const get = (path: string, directory?: string) =>
      HttpClientRequest.get(url(path)).pipe(HttpClientRequest.setHeaders(serverHeaders(address, directory)))

    return {
      health: readJson("health check", Health, get("/global/health")),
      createSession: (directory: string, body: { readonly title: string; readonly permission: ReadonlyArray<unknown> }) =>
        readJson("create a session", SessionInfo, post("/session", directory, body)),
      getSession: (directory: string, id: string) =>
        readJson("read the session", SessionInfo, get(`/session/${encodeURIComponent(id)}`, directory)),
      statuses: (directory: string) => readJson("read session statuses", SessionStatusMap, get("/session/status", directory)),
      promptAsync: (directory: string, id: string, body: unknown) =>
        send("send a prompt", post(`/session/${encodeURIComponent(id)}/prompt_async`, directory, body)),
      abort: (directory: string, id: string) =>
        send("abort the turn", post(`/session/${encodeURIComponent(id)}/abort`, directory)),
      replyPermission: (directory: string, requestId: string, reply: "once" | "always" | "reject") =>
        send("answer a permission", post(`/permission/${encodeURIComponent(requestId)}/reply`, directory, { reply })),
      replyQuestion: (directory: string, requestId: string, answers: ReadonlyArray<ReadonlyArray<string>>) =>
        send("answer a question", post(`/question/${encodeURIComponent(requestId)}/reply`, directory, { answers }))
    }
  })

export type OpenCodeClient = Effect.Effect.Success<ReturnType<typeof makeOpenCodeClient>>
