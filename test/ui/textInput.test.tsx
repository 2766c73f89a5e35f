import { afterEach, describe, expect, it } from "@effect/vitest"
import { cleanup } from "ink-testing-library"
import { deleteBack, deleteWordBack, editOf, graphemes, moveLeft } from "../../src/ui/textEdit.js"
import { focusedSession, keys, renderApp, vmWith } from "./harness.js"

afterEach(() => cleanup())

const typed = "a🚀b e\u0301 日 😀z"
const sent = (app: ReturnType<typeof renderApp>) => app.calls.filter((c) => c.action === "sendMessage").map((c) => c.args[1])

describe("text input", () => {
  it("typing a🚀b é 日 😀z key by key sends exactly that; the screen shows it as typed", async () => {
    const app = renderApp(vmWith({ focused: focusedSession() }))
    await app.press("i", ...graphemes(typed))
    await app.frame((f) => f.includes(`message › ${typed}`))
    await app.press(keys.enter)
    expect(sent(app)).toEqual([typed])
  })

  it("a pasted chunk keeps its emoji and its line breaks; Enter sends it whole", async () => {
    const app = renderApp(vmWith({ focused: focusedSession() }))
    await app.press("i", "first 🚀 line\rsecond 日本 line")
    await app.frame((f) => f.includes("second 日本 line") && f.includes("message › first 🚀 line"))
    await app.press(keys.enter)
    expect(sent(app)).toEqual(["first 🚀 line\nsecond 日本 line"])
  })

  it("the cursor moves by grapheme; backspace deletes the grapheme before it; Ctrl+W deletes a word", async () => {
    const app = renderApp(vmWith({ focused: focusedSession() }))
    await app.press("i", "fix", " ", "t", "h", "e", " ", "b", "u", "g", "😀")
    // Left twice: over the emoji and the g; backspace deletes the u.
    await app.press("\u001b[D", "\u001b[D", keys.backspace)
    await app.press("\u0017") // Ctrl+W: "b" and nothing else before the cursor up to a space
    await app.press("\u001b[F", "!") // End, then type at the end
    await app.press(keys.enter)
    expect(sent(app)).toEqual(["fix the g😀!"])
  })

  it("Up recalls what was sent to this agent, newest first; Down walks back to the draft", async () => {
    const app = renderApp(vmWith({ focused: focusedSession() }))
    await app.press("i", "one", keys.enter, "two", keys.enter, "dra", "ft")
    await app.press(keys.up)
    await app.frame((f) => f.includes("message › two"))
    await app.press(keys.up)
    await app.frame((f) => f.includes("message › one"))
    await app.press(keys.down, keys.down)
    await app.frame((f) => f.includes("message › draft"))
    await app.press(keys.up, keys.up, keys.enter)
    expect(sent(app)).toEqual(["one", "two", "one"])
  })

  it("editing works on graphemes, not code units", () => {
    const edit = editOf("ae\u0301🚀")
    expect(deleteBack(edit).text).toBe("ae\u0301")
    expect(deleteBack(moveLeft(edit)).text).toBe("a🚀")
    expect(deleteWordBack(editOf("one two  ")).text).toBe("one ")
  })
})
