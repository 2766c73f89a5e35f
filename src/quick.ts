// The quick start path of bin/orchestrator.js: `sessions list` answered from the store without
// loading Effect and the full CLI (start-up is most of that command's time). Bundled on its own
// to dist/quick.cjs; scripts/build.mjs checks that no Effect module gets into it.
import { programBuild } from "./programs/cli/programBuild.js"
import { parseQuickSessionsList } from "./programs/quick/quickArgs.js"
import { type QuickOutput, quickSessionsList } from "./programs/quick/quickSessionsList.js"

/** What to print for these arguments, or undefined when the full CLI must run them. */
export const quickAnswer = (
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string | undefined>> = process.env,
  now: number = Date.now()
): QuickOutput | undefined => {
  const command = parseQuickSessionsList(args)
  return command === undefined ? undefined : quickSessionsList(command, env, programBuild, now)
}
