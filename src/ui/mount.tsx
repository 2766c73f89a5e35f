import { render } from "ink"
import { App } from "./App.js"
import type { UiStore } from "../programs/view/uiStore.js"
import { resolveTheme, type ThemeName } from "./theme.js"
import { ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN } from "./alternateScreen.js"
import { replaceEarlyFrame, takeOverEarlyFrame } from "./earlyFrameHold.js"

export interface MountOptions {
  readonly theme: ThemeName
  /** `[ui] notifications`: bell and desktop notification for new items that wait on the person. */
  readonly notifications?: boolean
  readonly env: Readonly<Record<string, string | undefined>>
  readonly stdout?: NodeJS.WriteStream
  readonly stdin?: NodeJS.ReadStream
}

export interface MountedApp {
  /** Resolves when the person quits (q or Ctrl+C). */
  readonly waitUntilExit: () => Promise<void>
  /** Unmounts and gives the terminal back (main screen, cursor, cooked mode); safe to call twice. */
  readonly unmount: () => void
}


/** What writes notifications to the terminal, or nothing when `[ui] notifications = false`. */
export const notifierOf = (enabled: boolean | undefined, stdout: Pick<NodeJS.WriteStream, "write">): ((sequence: string) => void) | undefined =>
  enabled === false ? undefined : (sequence) => void stdout.write(sequence)

/** Renders the app on the alternate screen, so quitting leaves the person's scrollback as it was. */
export const mountApp = (store: UiStore, options: MountOptions): MountedApp => {
  const stdout = options.stdout ?? process.stdout
  const alternate = stdout.isTTY === true
  // An early frame may already hold the alternate screen (bin/orchestrator.js drew it while this code
  // loaded): then Ink's first frame replaces it in one write.
  const early = alternate && takeOverEarlyFrame(stdout)
  if (alternate && !early) stdout.write(ENTER_ALT_SCREEN)
  const draw = () => render(<App store={store} theme={resolveTheme(options.theme, options.env)} notify={notifierOf(options.notifications, stdout)} />, {
    stdout,
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    exitOnCtrlC: true,
    patchConsole: false,
    // Model changes reach the screen at most 30 times a second (the bridge throttles them). Ink's
    // throttle restarts its wait on every commit, so at 30 a typed key could wait two frames behind
    // a model frame; at 60 it waits at most about one.
    maxFps: 60
  })
  const instance = early ? replaceEarlyFrame(stdout, draw) : draw()
  let mounted = true
  return {
    waitUntilExit: () => instance.waitUntilExit().then(() => undefined),
    unmount: () => {
      if (!mounted) return
      mounted = false
      instance.unmount()
      if (alternate) stdout.write(LEAVE_ALT_SCREEN)
    }
  }
}
