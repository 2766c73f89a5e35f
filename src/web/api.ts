/// <reference lib="dom" />
// The page's calls to the server: same origin, the token travels in the session cookie.

export class ApiFailure extends Error {}

const describeFailure = async (response: Response): Promise<string> => {
  const text = await response.text()
  try {
    const body: unknown = JSON.parse(text)
    if (typeof body === "object" && body !== null && "message" in body && typeof body.message === "string") return body.message
  } catch {
    // not JSON: the text itself says it
  }
  return `${response.status} ${text.slice(0, 200)}`
}

export const getJson = async (path: string): Promise<unknown> => {
  const response = await fetch(path, { credentials: "same-origin" })
  if (!response.ok) throw new ApiFailure(await describeFailure(response))
  return response.json()
}

export const post = async (path: string, body: unknown = {}): Promise<unknown> => {
  const response = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body)
  })
  if (!response.ok) throw new ApiFailure(await describeFailure(response))
  return response.json()
}

/** The supervisor's answer as it streams: `onText` gets each piece. */
export const postStreaming = async (path: string, body: unknown, onText: (text: string) => void): Promise<void> => {
  const response = await fetch(path, { method: "POST", credentials: "same-origin", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
  if (!response.ok || response.body === null) throw new ApiFailure(await describeFailure(response))
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    onText(value)
  }
}
