import type { HttpClient } from "@effect/platform"
import { Effect, Layer } from "effect"
import type { TicketingError } from "../../domain/errors.js"
import type { EventStore } from "../../services/EventStore.js"
import type { Ticketing } from "../../services/Ticketing.js"
import { AppConfig } from "../../services/AppConfig.js"
import { LinearLive } from "./Linear.js"
import { LocalLive } from "./Local.js"
import { ShortcutLive } from "./Shortcut.js"

/** The provider `ticketing_provider` names (the config already fell back to local without a key). */
export const TicketingLive = Layer.unwrapEffect(
  Effect.map(AppConfig, (config): Layer.Layer<Ticketing, TicketingError, AppConfig | HttpClient.HttpClient | EventStore> => {
    switch (config.settings.ticketing_provider) {
      case "ticketing.linear":
        return LinearLive
      case "ticketing.shortcut":
        return ShortcutLive
      case "ticketing.local":
        return LocalLive
    }
  })
)
