import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber } from "effect"
import { remoteInterruptAs } from "../../../src/layers/cluster/stoppedCall.js"

describe("a call its runner stopped", () => {
  it.effect("comes back as the caller's failure, to be tried again, not as the caller's own interruption", () =>
    Effect.gen(function* () {
      // What a cluster client returns when the entity answering it was interrupted on its runner.
      const stopped = yield* Effect.flip(remoteInterruptAs(() => "stopped on the runner")(Effect.interrupt))
      expect(stopped).toBe("stopped on the runner")
      // Other failures pass through as they are.
      expect(yield* Effect.flip(remoteInterruptAs(() => "stopped")(Effect.fail("refused")))).toBe("refused")
    }))

  it.live("a caller interrupted itself is still interrupted: nothing after the call runs", () =>
    Effect.gen(function* () {
      let after = false
      const fiber = yield* Effect.fork(
        remoteInterruptAs(() => "stopped")(Effect.never).pipe(Effect.either, Effect.tap(() => Effect.sync(() => (after = true))))
      )
      yield* Effect.sleep("10 millis")
      const exit = yield* Fiber.interrupt(fiber)
      expect(Exit.isInterrupted(exit)).toBe(true)
      expect(after).toBe(false)
    }))
})
