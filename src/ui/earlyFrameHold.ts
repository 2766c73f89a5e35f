import { BEGIN_SYNC, CLEAR_SCREEN, END_SYNC, LEAVE_ALT_SCREEN } from "./alternateScreen.js"

// The early frame of `run` (src/earlyFrame.ts) holds the terminal until the Ink screen takes it
// over (mount.tsx). They live in separate bundles (dist/early.cjs, the ES module build) loaded into
// one process, so what passes between them is one object on a global, under a registered symbol.

const KEY = Symbol.for("orchestrator/earlyFrame")

interface Held {
  readonly stdout: object
  /** Hands the terminal to the screen as the frame left it; false when it was already given back. */
  readonly takeOver: () => boolean
}

const isHeld = (value: unknown): value is Held =>
  typeof value === "object" && value !== null && "stdout" in value && "takeOver" in value && typeof value.takeOver === "function"

export interface EarlyTerminal {
  readonly stdout: NodeJS.WriteStream
  readonly stderr: NodeJS.WriteStream
  readonly stdin: NodeJS.ReadStream
}

/** Sends every write to `stream` through `write` (which may call the stream's own) until the returned restore is called. */
const interceptWrites = (stream: NodeJS.WriteStream, write: (args: ReadonlyArray<unknown>) => unknown): (() => void) => {
  const own = Object.getOwnPropertyDescriptor(stream, "write")
  Object.defineProperty(stream, "write", { configurable: true, writable: true, value: (...args: Array<unknown>): unknown => write(args) })
  return () => {
    if (own === undefined) Reflect.deleteProperty(stream, "write")
    else Object.defineProperty(stream, "write", own)
  }
}

/** Runs `before` ahead of every write to `stream` until the returned restore is called. */
const guardWrites = (stream: NodeJS.WriteStream, before: () => void): (() => void) =>
  interceptWrites(stream, (args) => {
    before()
    return Reflect.apply(stream.write, stream, args)
  })

/**
 * Draws `frame` (which enters the alternate screen) and holds the terminal for the screen. Keys
 * typed meanwhile wait in the terminal's buffer, unechoed (raw mode), for the screen to read. Until
 * the screen takes over, anything else written to stdout or stderr (a warning, an error) first gives
 * the terminal back (main screen, cooked mode, cursor shown), so it shows where it always did; so
 * does the process's exit.
 */
export const holdEarlyFrame = (terminal: EarlyTerminal, frame: string): void => {
  const { stdout, stderr, stdin } = terminal
  stdin.setRawMode(true)
  stdout.write(frame)
  let held = true
  const restores: Array<() => void> = []
  const stopHolding = () => {
    held = false
    for (const restore of restores.splice(0)) restore()
    process.off("exit", release)
  }
  function release() {
    if (!held) return
    stopHolding()
    stdin.setRawMode(false)
    stdout.write(LEAVE_ALT_SCREEN)
  }
  restores.push(guardWrites(stdout, release), guardWrites(stderr, release))
  process.once("exit", release)
  const handOver: Held = {
    stdout,
    takeOver: () => {
      if (!held) return false
      stopHolding()
      return true
    }
  }
  Reflect.set(globalThis, KEY, handOver)
}

/** True when an early frame held `stdout`'s terminal: the screen now owns it (alternate screen, raw mode) as the frame left it. */
export const takeOverEarlyFrame = (stdout: object): boolean => {
  const held: unknown = Reflect.get(globalThis, KEY)
  if (!isHeld(held) || held.stdout !== stdout) return false
  Reflect.deleteProperty(globalThis, KEY)
  return held.takeOver()
}

/**
 * Runs `draw` (the screen's first render, which Ink writes synchronously) with its output held
 * back, then writes a clear and that output as one: the terminal goes from the early frame straight
 * to the screen's frame, with no blank frame between them while the first render is computed.
 */
export const replaceEarlyFrame = <A>(stdout: NodeJS.WriteStream, draw: () => A): A => {
  const held: Array<string> = []
  const callbacks: Array<() => void> = []
  const restore = interceptWrites(stdout, (args) => {
    const [chunk] = args
    held.push(typeof chunk === "string" ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString("utf8") : "")
    const callback = args.findLast((arg) => typeof arg === "function")
    if (typeof callback === "function") callbacks.push(() => void Reflect.apply(callback, undefined, []))
    return true
  })
  try {
    return draw()
  } finally {
    restore()
    stdout.write(BEGIN_SYNC + CLEAR_SCREEN + held.join("") + END_SYNC, () => {
      for (const callback of callbacks) callback()
    })
  }
}
