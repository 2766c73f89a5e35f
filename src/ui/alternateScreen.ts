// The terminal sequences the screen uses to take the terminal and give it back: the early frame
// (earlyFrame.ts) and the Ink screen (mount.tsx) share them.

export const ENTER_ALT_SCREEN = "\u001b[?1049h"
// Shows the cursor too: Ink only does that itself when it does not think it runs in CI.
export const LEAVE_ALT_SCREEN = "\u001b[?25h\u001b[?1049l"
export const HIDE_CURSOR = "\u001b[?25l"
export const CLEAR_SCREEN = "\u001b[H\u001b[2J"
// Synchronized output (DEC mode 2026): the terminal shows what comes between at once; others ignore it.
export const BEGIN_SYNC = "\u001b[?2026h"
export const END_SYNC = "\u001b[?2026l"
