/** A title that tries what a hostile ticket, agent or model could: retitle the window, colour, clear, break the line. */
export const hostileTitle = "evil \x1b]0;pwned\x07 \x1b[31mred\x1b[0m a\rb\nc \x9b2J \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ end"

/** True when the text holds an ESC, BEL, CSI/OSC/ST introducer or another control (tab and newline aside). */
export const hasTerminalControl = (text: string): boolean => /[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(text)
