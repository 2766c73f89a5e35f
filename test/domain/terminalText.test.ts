import { describe, expect, it } from "@effect/vitest"
import { terminalJson, terminalLine, terminalText } from "../../src/domain/terminalText.js"
import { pullRequestTitle } from "../../src/domain/vcsPullRequestText.js"
import { hasTerminalControl, hostileTitle } from "../support/hostileText.js"
import { makeTicket, ticketId } from "../support/sampleEvents.js"

describe("terminalText / terminalLine", () => {
  it("removes an OSC ended by BEL or by ST, 7-bit and 8-bit", () => {
    expect(terminalLine("a\x1b]0;pwned\x07b")).toBe("ab")
    expect(terminalLine("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b")).toBe("alinkb")
    expect(terminalLine("a\x9d0;pwned\x9cb")).toBe("ab")
  })

  it("removes CSI sequences (colour, cursor, clear), 7-bit and 8-bit, and other escapes", () => {
    expect(terminalLine("\x1b[1;31mred\x1b[0m \x1b[2J\x1b[H\x9b2Jx \x1bc\x1b(B\x1b7y")).toBe("red x y")
  })

  it("removes DCS, APC and PM strings and a lone ESC or control", () => {
    expect(terminalLine("a\x1bPq#0;1\x1b\\b\x1b_apc\x1b\\c\x1b^pm\x1b\\d")).toBe("abcd")
    expect(terminalLine("a\x1b\x00\x07\x08\x7f\x85b")).toBe("ab")
  })

  it("one line: newlines, \\r and tabs become spaces", () => {
    expect(terminalLine("a\rb\nc\r\nd\te")).toBe("a b c d e")
  })

  it("several lines: newlines and tabs kept, \\r made a newline", () => {
    expect(terminalText("a\r\nb\rc\n\td\x1b[31me")).toBe("a\nb\nc\n\tde")
  })

  it("leaves plain text, unicode included, untouched", () => {
    const plain = "Fix the login — café ✓ 日本"
    expect(terminalLine(plain)).toBe(plain)
    expect(terminalText(plain)).toBe(plain)
  })

  it("leaves no control in the hostile title, and an unterminated OSC harmless", () => {
    expect(hasTerminalControl(terminalLine(hostileTitle))).toBe(false)
    expect(terminalLine(hostileTitle)).not.toMatch(/\n|\r/)
    expect(hasTerminalControl(terminalText("x\x1b]0;never ends"))).toBe(false)
  })
})

describe("pullRequestTitle", () => {
  it("drops a title's escape sequences whole and keeps it one line", () => {
    const title = pullRequestTitle(makeTicket({ id: ticketId(1), identifier: "LOCAL-1", title: hostileTitle }))
    expect(title).toBe("LOCAL-1: evil  red a b c  link end")
  })
})

describe("terminalJson", () => {
  it("escapes what JSON.stringify leaves raw (DEL, C1 controls, line separators) and stays lossless", () => {
    const value = { title: "a\x9b31mb\x7fc\u2028d\x1b]0;x\x07" }
    const text = terminalJson(value)
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]/)
    expect(JSON.parse(text)).toEqual(value)
  })
})
