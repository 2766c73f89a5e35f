import { describe, expect, it } from "@effect/vitest"
import { agentEnvironment } from "../../../src/layers/harness/secrets.js"

describe("agentEnvironment", () => {
  it("drops tracker and OpenRouter keys from the parent and the extras, keeps the rest", () => {
    const env = agentEnvironment(
      { PATH: "/bin", LINEAR_API_KEY: "lin", SHORTCUT_API_TOKEN: "sc", OPENROUTER_API_KEY: "or", UNSET: undefined },
      { MOCK_API_KEY: "m", OPENROUTER_API_KEY: "again", linear_api_key: "lower" }
    )
    expect(env).toEqual({ PATH: "/bin", MOCK_API_KEY: "m" })
  })
})
