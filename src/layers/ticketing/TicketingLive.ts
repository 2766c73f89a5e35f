import { Effect, Layer } from "effect"
import { AppConfig } from "../../services/AppConfig.js"
import { chooseProvider } from "../config/providerChoice.js"
import { type TrackerProviderRow, trackerProviders } from "./providers.js"

/** The tracker of `rows` that `ticketing_provider` names (the config already fell back to local without a key). */
export const ticketingLayerFrom = (rows: ReadonlyArray<TrackerProviderRow>) =>
  Layer.unwrapEffect(
    Effect.flatMap(AppConfig, (config) =>
      Effect.map(chooseProvider(config.file, "ticketing_provider", rows, config.settings.ticketing_provider), (row) => row.layer)
    )
  )

export const TicketingLive = ticketingLayerFrom(trackerProviders)
