import { NodeContext } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { configFromValue } from "../../../src/layers/config/ConfigLive.js"
import { GhCliLive } from "../../../src/layers/repoHost/GhCli.js"
import { AppConfig } from "../../../src/services/AppConfig.js"
import type { FakeGh } from "../../fakes/gh/ghState.js"

/** The gh Layer pointed at a scripted gh, with the given `[github]` settings. */
export const ghLayer = (gh: FakeGh, github: Record<string, unknown> = {}) =>
  GhCliLive.pipe(
    Layer.provide(Layer.effect(AppConfig, Effect.orDie(configFromValue({ github: { binary: gh.binary, ...github } }, gh.dir)))),
    Layer.provide(NodeContext.layer)
  )
