import { HttpApiBuilder, HttpServer } from "@effect/platform"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Context, Effect, Layer, Option, Redacted, Schema } from "effect"
import { createServer } from "node:http"
import { AppConfig } from "../../services/AppConfig.js"
import { EventStore } from "../../services/EventStore.js"
import { SessionRuntime } from "../../services/SessionRuntime.js"
import { Supervisor } from "../../services/Supervisor.js"
import { Ticketing } from "../../services/Ticketing.js"
import { Workflow } from "../../services/Workflow.js"
import { Authorization, WebApi } from "./api.js"
import { Unauthorized } from "./apiErrors.js"
import { defaultFeedOptions, type FeedOptions, startFeed } from "./feed.js"
import { allowedHostsOf, guard, isLoopbackHost } from "./guard.js"
import { actHandlers, liveHandlers, readHandlers, symphonyHandlers } from "./handlers.js"
import { pageRoutes } from "./page.js"
import { defaultSseOptions, type SseOptions } from "./sse.js"
import { loadOrCreateToken, tokenFileOf, tokenMatches } from "./token.js"

/** The web server could not listen. */
export class WebServerUnavailable extends Schema.TaggedError<WebServerUnavailable>()("WebServerUnavailable", {
  address: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `the web dashboard could not listen on ${this.address}: ${this.detail}`
  }
}

export interface WebServer {
  /** `http://host:port/`, without the token. */
  readonly url: string
  readonly port: number
  readonly tokenFile: string
  /** The URL with the token, for the person to open once (then a cookie holds it). */
  readonly openUrl: Redacted.Redacted<string>
  readonly warning: string | null
}

export interface WebServerOverrides {
  readonly feed?: FeedOptions
  readonly sse?: SseOptions
}

const authorizationLive = (token: Redacted.Redacted<string>) =>
  Layer.succeed(Authorization, {
    bearer: (offered) => (tokenMatches(token, Redacted.value(offered)) ? Effect.void : Effect.fail(new Unauthorized({ message: "wrong token" }))),
    cookie: (offered) => (tokenMatches(token, Redacted.value(offered)) ? Effect.void : Effect.fail(new Unauthorized({ message: "wrong token" })))
  })

/**
 * `run --web`: the API and the page on `[web] host, port`, for as long as the scope lasts, in the
 * engine's process and on its services (every action goes through the programs the screen uses).
 */
export const startWebServer = (overrides: WebServerOverrides = {}) =>
  Effect.gen(function* () {
    const config = yield* AppConfig
    const { host, port } = config.settings.web
    const tokenFile = tokenFileOf(config.settings.event_store_path)
    const token = yield* loadOrCreateToken(tokenFile).pipe(Effect.provide(NodeFileSystem.layer))
    const feed = yield* startFeed(overrides.feed ?? defaultFeedOptions)
    const supervisor = yield* Effect.serviceOption(Supervisor)
    const services = yield* Effect.context<AppConfig | EventStore | SessionRuntime | Workflow | Ticketing>()
    const context = Option.match(supervisor, { onNone: () => services, onSome: (s) => Context.add(services, Supervisor, s) })
    const options = {
      feed,
      sse: overrides.sse ?? defaultSseOptions,
      transcriptLineLimit: config.settings.ui.transcript_line_limit,
      pickerStates: config.settings.ui.ticket_picker_priority_states,
      supervisor: Option.isSome(supervisor)
    }
    // The Host check needs the port the server got (port 0 picks one): filled in once it listens.
    let allowedHosts: ReadonlySet<string> = new Set()
    const apiLive = HttpApiBuilder.api(WebApi).pipe(
      Layer.provide([readHandlers(options), actHandlers(), liveHandlers(options), symphonyHandlers(options), authorizationLive(token)])
    )
    const serverLive = HttpApiBuilder.serve(guard({ token, allowedHosts: () => allowedHosts })).pipe(
      Layer.provide(pageRoutes),
      Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: "/api/openapi.json" })),
      Layer.provide(apiLive),
      Layer.provideMerge(NodeHttpServer.layer(createServer, { host, port })),
      Layer.provide(Layer.succeedContext(context))
    )
    const scope = yield* Effect.scope
    const built = yield* Layer.buildWithScope(serverLive, scope).pipe(
      Effect.mapError((error) => new WebServerUnavailable({ address: `${host}:${port}`, detail: error.message }))
    )
    const address = Context.get(built, HttpServer.HttpServer).address
    const bound = address._tag === "TcpAddress" ? address.port : port
    allowedHosts = allowedHostsOf(host, bound)
    const hostPart = host.includes(":") ? `[${host}]` : host
    const url = `http://${hostPart}:${bound}/`
    return {
      url,
      port: bound,
      tokenFile,
      openUrl: Redacted.make(`${url}?token=${Redacted.value(token)}`),
      warning: isLoopbackHost(host) ? null : `the web dashboard listens on ${host}, reachable from other machines: every request needs the token in ${tokenFile}`
    } satisfies WebServer
  })
