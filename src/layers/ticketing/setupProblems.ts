import { Config, Effect, Option } from "effect"
import type { LoadedConfig } from "../../services/AppConfig.js"

/** What `ticketing.github` needs beyond gh's login (doctor checks that one on its own). */
export const githubSetupProblems = (config: LoadedConfig): Effect.Effect<ReadonlyArray<string>> =>
  Effect.succeed(
    Object.keys(config.settings.projects).length === 0
      ? ["[projects] names no repository: ticketing.github reads the issues of each project's GitHub repository (KEY = \"path of its clone\")"]
      : []
  )

/** What `ticketing.jira` needs beyond JIRA_API_TOKEN: the account's email and the site. */
export const jiraSetupProblems = (config: LoadedConfig): Effect.Effect<ReadonlyArray<string>> =>
  Effect.map(Effect.orElseSucceed(Config.option(Config.string("JIRA_EMAIL")), () => Option.none<string>()), (email) => [
    ...(Option.isNone(email) ? ["JIRA_EMAIL is not set (the Atlassian account's email, used with JIRA_API_TOKEN)"] : []),
    ...(config.settings.jira.base_url === "" ? ["[jira] base_url is not set (e.g. https://acme.atlassian.net)"] : [])
  ])
