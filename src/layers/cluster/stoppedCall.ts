// A call to a runner's entity that the runner stopped while answering it. The cluster stops a runner's
// entities when it cannot refresh their shard locks (the database restarting); the caller then gets an
// interruption back, which every coordinator adapter (git, gh, the harness) turns into its own error.
import { Cause, Effect } from "effect"

/**
 * A call whose entity the runner stopped while it answered comes back as an interruption: the cluster
 * stops a runner's entities when it cannot refresh their shard locks (the database restarting). To the
 * caller that is a failed call, to be tried again, never its own interruption (which still interrupts:
 * an interrupted fiber runs no recovery).
 */
export const remoteInterruptAs =
  <F>(as: () => F) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | F, R> =>
    Effect.catchAllCause(effect, (cause): Effect.Effect<never, E | F> => (Cause.isInterruptedOnly(cause) ? Effect.fail(as()) : Effect.failCause(cause)))

/** The words for a call its runner stopped. */
export const stoppedCall = "the runner stopped the call (the cluster restarted its entities); try again"
