import { Option, Schema } from "effect"

/** The built-in questions (SPEC §6), each bound to a key in the supervisor chat. */
export const QuestionKind = Schema.Literal(
  "currentActivity",
  "whatChanged",
  "needsMe",
  "riskAssessment",
  "recommendedResponse",
  "ticketStatus",
  "blocking",
  "nextActions"
)
export type QuestionKind = typeof QuestionKind.Type

export interface BuiltInQuestion {
  readonly kind: QuestionKind
  /** Suggested key in the supervisor chat overlay. */
  readonly key: string
  readonly title: string
  /** What is sent to the model when the person picks the question. */
  readonly prompt: string
  /** Wordings that pick this question out of a free one. */
  readonly matches: ReadonlyArray<RegExp>
}

const table: { readonly [K in QuestionKind]: Omit<BuiltInQuestion, "kind"> } = {
  currentActivity: {
    key: "a",
    title: "Current activity",
    prompt: "What is happening right now? Which sessions are active and what is each one doing?",
    matches: [
      /\bwhat('s| is)? (happening|going on)\b/i,
      /\bwhat (are|is) (they|it|the agents?|everyone) (doing|working on)\b/i,
      /\bcurrent(ly)? (activity|doing)\b/i
    ]
  },
  whatChanged: {
    key: "w",
    title: "What changed?",
    prompt: "What changed recently? Summarize the notable events since the work started or since the last checkpoint.",
    matches: [/\bwhat('s| has)? changed\b/i, /\bwhat('s| is) new\b/i, /\bsince\b.*\b(last|yesterday|ago)\b/i]
  },
  needsMe: {
    key: "n",
    title: "What needs me?",
    prompt: "What needs my attention or decision right now? List each item with why and how urgent.",
    matches: [/\bneeds? (me|my)\b/i, /\bwaiting (on|for) me\b/i, /\b(my|me) (attention|input|decision)\b/i]
  },
  riskAssessment: {
    key: "k",
    title: "Risk assessment",
    prompt: "Assess the risks in the work in flight: what could go wrong, how likely, and what to check.",
    matches: [/\brisk/i, /\bdanger/i, /\bwhat could go wrong\b/i]
  },
  recommendedResponse: {
    key: "r",
    title: "Recommended response",
    prompt: "For the open questions and approvals, what should I answer and why?",
    matches: [/\b(how|what) should i (answer|respond|reply|say)\b/i, /\brecommend(ed)? (response|answer|reply)\b/i]
  },
  ticketStatus: {
    key: "t",
    title: "Ticket status",
    prompt: "What is the status of the ticket(s): workflow state, pull request, checks and review?",
    matches: [/\bstatus\b/i, /\bwhere (are|is) (we|it|this)\b/i]
  },
  blocking: {
    key: "b",
    title: "What is blocking?",
    prompt: "What is blocking progress (failing checks, open questions, stalls, review comments)?",
    matches: [/\bblock/i, /\bstuck\b/i, /\bstall/i]
  },
  nextActions: {
    key: "x",
    title: "Next actions",
    prompt: "What are the next actions, in order, and who (me or an agent) should take each?",
    matches: [/\bnext (steps?|actions?)\b/i, /\bwhat (should|do) (i|we) do next\b/i, /\bwhat now\b/i]
  }
}

export const builtInQuestion = (kind: QuestionKind): BuiltInQuestion => ({ kind, ...table[kind] })

// Matching order: the more specific wordings first ("how should I respond" before "status").
const matchOrder: ReadonlyArray<QuestionKind> = [
  "needsMe",
  "recommendedResponse",
  "riskAssessment",
  "blocking",
  "nextActions",
  "ticketStatus",
  "whatChanged",
  "currentActivity"
]

export const builtInQuestions: ReadonlyArray<BuiltInQuestion> = matchOrder.map(builtInQuestion)

/** The built-in question a free question's wording asks for, if any. */
export const matchQuestion = (text: string): Option.Option<QuestionKind> =>
  Option.fromNullable(builtInQuestions.find((question) => question.matches.some((re) => re.test(text)))).pipe(
    Option.map((question) => question.kind)
  )
