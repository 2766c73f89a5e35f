import type { HarnessProvider } from "../../services/HarnessProvider.js"

/** One sentence for the banner when the harness cannot run: what is wrong and what to install (from its row). */
export const harnessProblem = (
  providers: ReadonlyArray<HarnessProvider>,
  id: string,
  error: { readonly _tag: string; readonly message: string }
): string => {
  if (error._tag === "TimeoutException") return `${id} did not answer its health check; sessions may fail to start.`
  const row = providers.find((provider) => provider.id === id)
  const install = row === undefined ? "check harness_provider" : `install it with \`${row.install}\` or set ${row.binaryKey}`
  return `${id} cannot run (${error.message}): ${install}, then restart.`
}
