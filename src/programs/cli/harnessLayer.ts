import { harnessLayerFrom } from "../../layers/harness/HarnessLive.js"
import { harnessProviders } from "../../layers/harness/providers.js"

/** The harness `harness_provider` names, from the harness table. */
export const ConfiguredHarness = harnessLayerFrom(harnessProviders)
