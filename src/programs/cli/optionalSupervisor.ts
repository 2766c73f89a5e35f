import { Context, Effect, Layer, Option } from "effect"
import { AppConfig } from "../../services/AppConfig.js"

/** The supervisor only when its key is set; @effect/ai is loaded then and only then. */
export const optionalSupervisor = Effect.gen(function* () {
  const config = yield* AppConfig
  if (Option.isNone(config.secrets.openrouterApiKey)) return Context.empty()
  const module = yield* Effect.promise(() => import("../../layers/supervisor/SupervisorLive.js"))
  const scope = yield* Effect.scope
  return yield* Layer.buildWithScope(module.SupervisorLive, scope)
})
