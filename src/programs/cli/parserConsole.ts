import { type Console, Effect } from "effect"
import { terminalText } from "../../domain/terminalText.js"

/** Colour only on a terminal, and never under NO_COLOR (https://no-color.org). */
export const wantsPlainText = (env: NodeJS.ProcessEnv, stdoutIsTty: boolean): boolean =>
  !stdoutIsTty || (env.NO_COLOR !== undefined && env.NO_COLOR !== "")

/**
 * The console @effect/cli writes its help, version and usage errors with (the commands get the
 * ordinary one back). Its help is ANSI-coloured: plain when `plain`. Its usage error is dropped here
 * because reportFailure prints it once, prefixed and naming the flag.
 */
export const parserConsole = (base: Console.Console, plain: boolean): Console.Console => ({
  ...base,
  log: (...args) => base.log(...(plain ? args.map((arg) => (typeof arg === "string" ? terminalText(arg) : arg)) : args)),
  error: () => Effect.void
})
