/** Variables that hold orchestrator's own credentials; an agent never sees them (SPEC §4). */
export const agentSecretVariables: ReadonlyArray<string> = ["LINEAR_API_KEY", "SHORTCUT_API_TOKEN", "OPENROUTER_API_KEY"]

const isSecret = (name: string): boolean => agentSecretVariables.includes(name.toUpperCase())

/**
 * The environment an agent process runs with: the parent's, then the session's extras, minus the
 * secrets wherever they came from (an extra cannot smuggle one back in).
 */
export const agentEnvironment = (
  parent: Readonly<Record<string, string | undefined>>,
  extra: Readonly<Record<string, string>> = {}
): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries({ ...parent, ...extra })) {
    if (value !== undefined && !isSecret(name)) env[name] = value
  }
  return env
}
