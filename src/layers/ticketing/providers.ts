import type { HttpClient } from "@effect/platform"
import { Effect, Layer } from "effect"
import type { TicketingError } from "../../domain/errors.js"
import type { AppConfig } from "../../services/AppConfig.js"
import type { EventStore } from "../../services/EventStore.js"
import type { Ticketing } from "../../services/Ticketing.js"
import type { TrackerProvider } from "../../services/TrackerProvider.js"
import { githubSetupProblems, jiraSetupProblems } from "./setupProblems.js"

/** What a tracker layer may need; the engine's and the commands' wiring provide all of it. */
export type TrackerLayer = Layer.Layer<Ticketing, TicketingError, AppConfig | HttpClient.HttpClient | EventStore>

/** A tracker: its description plus the layer that talks to it. */
export interface TrackerProviderRow extends TrackerProvider {
  readonly layer: TrackerLayer
}

/** The adapter's module is loaded when the layer is built, so reading the table stays cheap. */
const loadedOnBuild = (load: () => Promise<TrackerLayer>): TrackerLayer => Layer.unwrapEffect(Effect.promise(load))

/** Where the configuration goes when the configured tracker's key is missing. */
export const fallbackTrackerId = "ticketing.local"

/**
 * The trackers `ticketing_provider` may name. Adding one is a folder under src/layers/ticketing/ and
 * a row here: config validation, `--ticketing-provider`, the key fallback, doctor and the wiring read this.
 */
export const trackerProviders: ReadonlyArray<TrackerProviderRow> = [
  {
    id: "ticketing.linear",
    name: "Linear",
    secretEnv: "LINEAR_API_KEY",
    settingsSection: "linear",
    capabilities: { remote: true, comments: true, links: true },
    layer: loadedOnBuild(() => import("./Linear.js").then((module) => module.LinearLive))
  },
  {
    id: "ticketing.shortcut",
    name: "Shortcut",
    secretEnv: "SHORTCUT_API_TOKEN",
    settingsSection: "shortcut",
    capabilities: { remote: true, comments: true, links: true },
    layer: loadedOnBuild(() => import("./Shortcut.js").then((module) => module.ShortcutLive))
  },
  {
    id: "ticketing.github",
    name: "GitHub Issues",
    // gh's own login (or GH_TOKEN) is the credential: doctor checks it with `gh auth status`.
    secretEnv: undefined,
    settingsSection: "github",
    capabilities: { remote: true, comments: true, links: true },
    setupProblems: githubSetupProblems,
    layer: loadedOnBuild(() => import("./GitHub.js").then((module) => module.GithubIssuesLive))
  },
  {
    id: "ticketing.jira",
    name: "Jira",
    secretEnv: "JIRA_API_TOKEN",
    settingsSection: "jira",
    capabilities: { remote: true, comments: true, links: true },
    setupProblems: jiraSetupProblems,
    layer: loadedOnBuild(() => import("./Jira.js").then((module) => module.JiraLive))
  },
  {
    id: fallbackTrackerId,
    name: "local tickets",
    secretEnv: undefined,
    settingsSection: undefined,
    capabilities: { remote: false, comments: true, links: true },
    layer: loadedOnBuild(() => import("./Local.js").then((module) => module.LocalLive))
  }
]
