import { describe, expect, it } from "vitest"
import { Either } from "effect"
import { findRule, noFacts, transition, transitionTable, workflowStates, type TransitionFacts } from "../../src/domain/workflow.js"

const allFacts: TransitionFacts = { hasWorktree: true, hasSession: true, hasPullRequest: true, pullRequestMerged: true }

/** The moves SPEC §3 allows, written out independently of the table under test. */
const expectedMoves = new Set([
  "New>Planning",
  "Planning>Implementing",
  "Implementing>PRDrafted",
  "PRDrafted>AwaitingYourReview",
  "PRDrafted>ReadyForReview",
  "AwaitingYourReview>ReadyForReview",
  "ReadyForReview>InReview",
  "ReadyForReview>PendingMerge",
  "InReview>PendingMerge",
  "PendingMerge>Done",
  "PRDrafted>Done",
  "AwaitingYourReview>Done",
  "ReadyForReview>Done",
  "InReview>Done",
  "AwaitingYourReview>Implementing",
  "PRDrafted>Implementing",
  "ReadyForReview>Implementing",
  "InReview>Implementing",
  "PendingMerge>InReview",
  ...["New", "Planning", "Implementing", "PRDrafted", "AwaitingYourReview", "ReadyForReview", "InReview", "PendingMerge"].map(
    (from) => `${from}>Abandoned`
  )
])

describe("workflow transitions", () => {
  for (const from of workflowStates) {
    for (const to of workflowStates) {
      const key = `${from}>${to}`
      it(`${key} is ${expectedMoves.has(key) ? "allowed" : "forbidden"}`, () => {
        const result = transition(from, to, allFacts)
        if (expectedMoves.has(key)) expect(result).toEqual(Either.right(to))
        else {
          expect(Either.isLeft(result)).toBe(true)
          if (Either.isLeft(result)) {
            expect(result.left._tag).toBe("ForbiddenTransition")
            expect(result.left.message).toBe(`cannot move from ${from} to ${to}: no such move in the workflow`)
          }
        }
      })
    }
  }

  it("has exactly the specified moves", () => {
    expect(new Set(transitionTable.map((r) => `${r.from}>${r.to}`))).toEqual(expectedMoves)
  })

  it("guards: PRDrafted needs a PR, Done needs a merged PR, Planning needs a session", () => {
    const left = (from: Parameters<typeof transition>[0], to: Parameters<typeof transition>[1], facts: TransitionFacts) =>
      Either.match(transition(from, to, facts), { onLeft: (e) => e.reason, onRight: () => "allowed" })
    expect(left("Implementing", "PRDrafted", noFacts)).toBe("it needs a pull request")
    expect(left("Implementing", "PRDrafted", { ...noFacts, hasPullRequest: true })).toBe("allowed")
    expect(left("PendingMerge", "Done", { ...noFacts, hasPullRequest: true })).toBe("it needs a merged pull request")
    expect(left("PendingMerge", "Done", { ...noFacts, hasPullRequest: true, pullRequestMerged: true })).toBe("allowed")
    expect(left("New", "Planning", noFacts)).toBe("it needs an agent session")
    expect(left("InReview", "Abandoned", noFacts)).toBe("allowed")
    expect(findRule("Done", "Implementing")).toBeUndefined()
  })
})
