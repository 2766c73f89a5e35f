// Text from outside (a ticket, an agent, a pull request, a review, a model) may carry terminal
// controls: an OSC that renames the window, a CSI that moves the cursor or clears the screen, a bare
// \r that rewrites the line. Everything that shows such text passes it through one of these two.
// Plain TypeScript: the CLI, the TUI and the Effect-free view model all use it.

// OSC, DCS, SOS, PM, APC (7-bit and 8-bit introducers), up to BEL or ST (ESC \ or 0x9c).
const controlString = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)/g
// CSI: ESC [ or 0x9b, parameter bytes, intermediate bytes, one final byte.
const csi = /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]/g
// Any other escape: ESC, intermediate bytes, one final byte (ESC c, ESC 7, ESC ( B …).
const escape = /\x1b[\x20-\x2f]*[\x30-\x7e]/g
// What is left after the sequences: C0 (tab and newline aside), DEL and C1, a lone ESC among them.
const controls = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g
const anyControl = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/
const lineBreaks = /\r\n|[\r\n\t\v\f\u2028\u2029]/g

const withoutSequences = (text: string): string => text.replace(controlString, "").replace(csi, "").replace(escape, "")

/**
 * Multi-line text made safe to print: escape sequences and control characters removed, tabs and
 * newlines kept, `\r\n` and a lone `\r` turned into `\n` (a bare `\r` would overwrite the line).
 */
export const terminalText = (text: string): string =>
  anyControl.test(text)
    ? withoutSequences(text)
        .replace(/\r\n?|[\v\f\u2028\u2029]/g, "\n")
        .replace(controls, "")
    : text

/** One line made safe to print: as `terminalText`, and every line break or tab becomes a space. */
export const terminalLine = (text: string): string =>
  anyControl.test(text) ? withoutSequences(text).replace(lineBreaks, " ").replace(controls, "") : text

/**
 * JSON for a terminal or a pipe: `JSON.stringify` escapes C0 controls (ESC among them) but leaves DEL,
 * the C1 controls (8-bit CSI `\x9b`) and the Unicode line separators raw; they are escaped here as
 * well, so the text stays lossless and no byte of it acts on a terminal.
 */
export const terminalJson = (value: unknown): string =>
  (JSON.stringify(value, null, 2) ?? "null").replace(
    /[\x7f-\x9f\u2028\u2029]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`
  )
