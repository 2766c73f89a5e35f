import { Option } from "effect"
import type { MergeMethod } from "../../domain/vcsPullRequest.js"

/** Reading gh's human-oriented output where it has no JSON form. Pure. */

const PULL_URL = /https:\/\/\S+\/pull\/(\d+)/

/** `a pull request for branch "X" into branch "Y" already exists:\nURL` → URL. */
export const parseExistingPullRequest = (stderr: string): Option.Option<string> => {
  if (!/already exists/i.test(stderr)) return Option.none()
  const match = PULL_URL.exec(stderr)
  return match === null ? Option.none() : Option.some(match[0])
}

const allMethods: ReadonlyArray<MergeMethod> = ["squash", "merge", "rebase"]

/** The configured method first, then the others in a fixed order. */
export const mergeOrder = (preferred: MergeMethod): ReadonlyArray<MergeMethod> => [
  preferred,
  ...allMethods.filter((method) => method !== preferred)
]
