import { trackerProviders } from "../ticketing/providers.js"

/**
 * Variables that hold orchestrator's own credentials; an agent never sees them (SPEC §4): every
 * tracker's key from the tracker table (a new tracker's too), and the supervisor's.
 */
export const agentSecretVariables: ReadonlyArray<string> = [
  ...trackerProviders.flatMap((row) => (row.secretEnv === undefined ? [] : [row.secretEnv])),
  "OPENROUTER_API_KEY",
  // The event store's server and its password (a store on PostgreSQL).
  "ORCHESTRATOR_DATABASE_URL",
  "PGPASSWORD"
]

/**
 * The environment an agent process runs with: the parent's, then the session's extras, minus the
 * secrets and the names in `remove` wherever they came from (an extra cannot smuggle one back in).
 * Names compare without case.
 */
export const agentEnvironment = (
  parent: Readonly<Record<string, string | undefined>>,
  extra: Readonly<Record<string, string>>,
  remove: ReadonlyArray<string>
): Record<string, string> => {
  const removed = new Set([...agentSecretVariables, ...remove].map((name) => name.toUpperCase()))
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries({ ...parent, ...extra })) {
    if (value !== undefined && !removed.has(name.toUpperCase())) env[name] = value
  }
  return env
}
