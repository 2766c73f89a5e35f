import { afterEach, describe, expect, it } from "@effect/vitest"
import { vi } from "vitest"

// Colours are decided when chalk loads: force them on (before any import) so their absence means something.
vi.hoisted(() => {
  process.env["FORCE_COLOR"] = "3"
})

import { cleanup } from "ink-testing-library"
import { resolveTheme } from "../../src/ui/theme.js"
import { focusedSession, renderApp, vmWith } from "./harness.js"

afterEach(() => cleanup())

describe("themes", () => {
  it("nord and default colour the screen; NO_COLOR removes every colour", async () => {
    expect(resolveTheme("nord", {}).status.error).not.toBe(resolveTheme("default", {}).status.error)
    const plain = resolveTheme("nord", { NO_COLOR: "1" })
    expect(Object.values(plain).flatMap((group) => Object.values(group)).every((colour) => colour === "")).toBe(true)
    const coloured = renderApp(vmWith({ focused: focusedSession({ blocks: [{ id: "c", kind: "command", text: "ls" }] }) }), {})
    const colouredFrame = await coloured.frame((f) => f.includes("$ ls"))
    const bare = renderApp(vmWith({ focused: focusedSession({ blocks: [{ id: "c", kind: "command", text: "ls" }] }) }))
    const bareFrame = await bare.frame((f) => f.includes("$ ls"))
    // 38;2 / 38;5 / 3x: foreground colour codes.
    expect(colouredFrame).toMatch(/\u001b\[(38;|3\d)/)
    expect(bareFrame).not.toMatch(/\u001b\[(38;|3\d)/)
  })
})
