import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { configFromValue } from "../../../src/layers/config/ConfigLive.js"
import { webCheck } from "../../../src/programs/doctor/webCheck.js"

describe("doctor's web line", () => {
  it.effect("names the address and the token file; warns when the host is not loopback", () =>
    Effect.gen(function* () {
      const local = yield* configFromValue({ event_store_path: "/data/orch/events.sqlite" }, "/data/orch")
      expect(webCheck(local)).toEqual({
        name: "web",
        status: "ok",
        detail: "run --web listens on 127.0.0.1:8787; token in /data/orch/web-token",
        required: false
      })
      const open = yield* configFromValue({ event_store_path: "/data/orch/events.sqlite", web: { host: "0.0.0.0", port: 0 } }, "/data/orch")
      expect(webCheck(open)).toMatchObject({ status: "warn", detail: expect.stringContaining("0.0.0.0:any free port") })
      expect(webCheck(open).detail).toContain("reachable from other machines")
    })
  )
  it.effect("refuses a port out of range with the key's name", () =>
    Effect.gen(function* () {
      const failed = yield* Effect.flip(configFromValue({ web: { port: 70000 } }, "/data"))
      expect(String(failed)).toContain("web")
    })
  )
})
