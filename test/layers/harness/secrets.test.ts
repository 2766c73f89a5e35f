import { describe, expect, it } from "@effect/vitest"
import { defaultAgentEnvRemove } from "../../../src/domain/config.js"
import { agentEnvironment } from "../../../src/layers/harness/secrets.js"

describe("agentEnvironment", () => {
  it("drops tracker and OpenRouter keys from the parent and the extras, keeps the rest", () => {
    const env = agentEnvironment(
      { PATH: "/bin", LINEAR_API_KEY: "lin", SHORTCUT_API_TOKEN: "sc", OPENROUTER_API_KEY: "or", UNSET: undefined },
      { MOCK_API_KEY: "m", OPENROUTER_API_KEY: "again", linear_api_key: "lower" },
      []
    )
    expect(env).toEqual({ PATH: "/bin", MOCK_API_KEY: "m" })
  })

  it("drops GITHUB_TOKEN and GH_TOKEN by default, and whatever agent_env_remove names instead", () => {
    const parent = { PATH: "/bin", GITHUB_TOKEN: "ghp_x", GH_TOKEN: "gho_y", NPM_TOKEN: "npm", LINEAR_API_KEY: "lin" }
    expect(agentEnvironment(parent, { gh_token: "again" }, defaultAgentEnvRemove)).toEqual({ PATH: "/bin", NPM_TOKEN: "npm" })
    // The person's own list replaces the default; orchestrator's secrets go whatever it says.
    expect(agentEnvironment(parent, {}, ["NPM_TOKEN"])).toEqual({ PATH: "/bin", GITHUB_TOKEN: "ghp_x", GH_TOKEN: "gho_y" })
  })
})
