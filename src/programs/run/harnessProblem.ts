/** One sentence for the banner when the harness cannot run: what is wrong and what to install. */
export const harnessProblem = (provider: string, error: { readonly _tag: string; readonly message: string }): string => {
  const install =
    provider === "harness.opencode"
      ? "install it with `npm install -g opencode-ai` or set runtime.opencode_binary"
      : "install it with `npm install -g @openai/codex` or set runtime.codex_binary"
  if (error._tag === "TimeoutException") return `${provider} did not answer its health check; sessions may fail to start.`
  return `${provider} cannot run (${error.message}): ${install}, then restart.`
}
