import { HttpMiddleware, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, type Redacted } from "effect"
import { tokenMatches } from "./token.js"

export const TOKEN_COOKIE = "orchestrator_token"
const BEARER = "Bearer "

export interface GuardOptions {
  readonly token: Redacted.Redacted<string>
  /** The `Host` header values this server answers to (`host:port`); read per request, known once it listens. */
  readonly allowedHosts: () => ReadonlySet<string>
}

const loopbackNames = ["127.0.0.1", "localhost", "[::1]"]

/** The Host values a browser sends for this server: the configured host, and every loopback name when it is loopback. */
export const allowedHostsOf = (host: string, port: number): ReadonlySet<string> => {
  const bracketed = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host
  const names = loopbackNames.includes(bracketed) || host === "::1" ? loopbackNames : [bracketed]
  return new Set(names.map((name) => `${name}:${port}`.toLowerCase()))
}

export const isLoopbackHost = (host: string): boolean => host === "::1" || host === "localhost" || host.startsWith("127.")

/** Headers on every answer: nothing cached, no referrer carrying a token in its URL, only this origin's scripts. */
const hardened = (response: HttpServerResponse.HttpServerResponse) =>
  HttpServerResponse.setHeaders(response, {
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
  })

const refuse = (status: 401 | 403, tag: string, message: string) =>
  hardened(HttpServerResponse.unsafeJson({ _tag: tag, message }, { status }))

const offeredToken = (request: HttpServerRequest.HttpServerRequest): string | undefined => {
  const header = request.headers["authorization"]
  if (header !== undefined && header.startsWith(BEARER)) return header.slice(BEARER.length)
  return request.cookies[TOKEN_COOKIE]
}

/**
 * Every request: the Host header must name this server (a page on another site cannot reach it by
 * DNS rebinding), then the token must come as a bearer header or the session cookie. A token given
 * once in the URL (`?token=`) is moved into a `SameSite=Strict`, `HttpOnly` cookie and the browser
 * sent on to the same address without it, so it stays out of history and logs.
 */
export const guard = (options: GuardOptions) =>
  HttpMiddleware.make((app) =>
    Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      const host = (request.headers["host"] ?? "").toLowerCase()
      if (!options.allowedHosts().has(host)) return refuse(403, "WrongHost", "this server does not answer to that Host header")
      const url = new URL(request.url, "http://placeholder")
      const inUrl = url.searchParams.get("token")
      if (inUrl !== null && request.method === "GET") {
        if (!tokenMatches(options.token, inUrl)) return refuse(401, "Unauthorized", "the token is wrong")
        url.searchParams.delete("token")
        const redirect = HttpServerResponse.redirect(`${url.pathname}${url.search}`, { status: 303 })
        return hardened(
          yield* HttpServerResponse.setCookie(redirect, TOKEN_COOKIE, inUrl, { httpOnly: true, sameSite: "strict", path: "/" }).pipe(Effect.orDie)
        )
      }
      const offered = offeredToken(request)
      if (offered === undefined || !tokenMatches(options.token, offered)) {
        return refuse(401, "Unauthorized", "a token is needed: open the URL printed at start, or send Authorization: Bearer <token>")
      }
      return hardened(yield* app)
    })
  )
