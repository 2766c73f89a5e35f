import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import { builtInQuestion, builtInQuestions, matchQuestion, QuestionKind } from "../../src/domain/supervisorQuestions.js"

describe("built-in supervisor questions", () => {
  it("covers every kind once, each with its own key", () => {
    expect(builtInQuestions.map((q) => q.kind).toSorted()).toEqual([...QuestionKind.literals].toSorted())
    expect(new Set(builtInQuestions.map((q) => q.key)).size).toBe(QuestionKind.literals.length)
    for (const kind of QuestionKind.literals) expect(builtInQuestion(kind).prompt.length).toBeGreaterThan(20)
  })

  it.each([
    ["What's going on?", "currentActivity"],
    ["what changed since yesterday", "whatChanged"],
    ["Anything that needs me?", "needsMe"],
    ["Any risks in the sync PR?", "riskAssessment"],
    ["How should I respond to the agent?", "recommendedResponse"],
    ["status of ENG-42", "ticketStatus"],
    ["why is it stuck", "blocking"],
    ["next steps?", "nextActions"]
  ] as const)("%s → %s", (text, kind) => {
    expect(matchQuestion(text)).toEqual(Option.some(kind))
  })

  it("leaves an unrelated question free", () => {
    expect(matchQuestion("Write a haiku about git")).toEqual(Option.none())
  })
})
