import { writeFileSync, mkdirSync } from "node:fs"
import * as NodePath from "node:path"
import { at, scriptedHarness } from "../../layers/harness/Scripted.js"
import type { SessionSpec } from "../../services/Harness.js"

const key = (spec: SessionSpec): string => NodePath.basename(spec.worktreePath).split("-").slice(0, 2).join("-")

/** The demo agent's plan: the first step done while planning, all of them once the work is written. */
const plan = (spec: SessionSpec, done: boolean) =>
  ({
    _tag: "PlanUpdated",
    steps: [
      { step: "Read the ticket", status: "completed" },
      { step: `Write docs/${key(spec)}.md`, status: done ? "completed" : "pending" },
      { step: "Commit", status: done ? "completed" : "pending" }
    ]
  }) as const

/** The demo agent's planning turn: a plan, no change. */
const planSteps = (spec: SessionSpec) => [
  at("300 millis", { _tag: "TurnStarted", turnId: "plan" }),
  at("400 millis", { _tag: "Reasoning", itemId: "r1", text: "Reading the ticket and the repository layout." }),
  at("500 millis", plan(spec, false)),
  ...Array.from("Plan: add a short document for this ticket under docs/, then commit it. Press w n to let me implement.".split(" "), (word, i) =>
    at("60 millis", { _tag: "TextDelta" as const, itemId: "plan-msg", text: (i === 0 ? "" : " ") + word })
  ),
  at("100 millis", { _tag: "TurnCompleted", turnId: "plan", status: "completed", usage: { input: 1200, output: 90, total: 1290 }, error: null })
]

/** The work turn's change: one file written into the worktree, then the report. */
const workSteps = (spec: SessionSpec, count: number) => {
  const file = `docs/${key(spec)}-${count}.md`
  mkdirSync(NodePath.join(spec.worktreePath, "docs"), { recursive: true })
  writeFileSync(NodePath.join(spec.worktreePath, file), `# ${key(spec)}\n\nWritten by the demo agent (turn ${count}).\n`)
  return [
    at("500 millis", { _tag: "CommandExecution", itemId: `cmd-${count}`, command: `write ${file}`, cwd: spec.worktreePath, status: "running", output: "", exitCode: null }),
    at("600 millis", { _tag: "CommandExecution", itemId: `cmd-${count}`, command: `write ${file}`, cwd: spec.worktreePath, status: "completed", output: "ok\n", exitCode: 0 }),
    at("200 millis", { _tag: "FileChange", itemId: `fc-${count}`, status: "applied", changes: [{ path: file, kind: "add" }] }),
    at("100 millis", plan(spec, true)),
    at("400 millis", { _tag: "Message", itemId: `done-${count}`, text: `Wrote ${file}. Ready for review.` }),
    at("100 millis", { _tag: "TurnCompleted", turnId: `work-${count}`, status: "completed", usage: { input: 2400, output: 160, total: 3850 }, error: null })
  ] as const
}

const approvalPrefix = "demo-write-"

/**
 * The demo's agent: plans in its first turn; on the next input it writes one file into its
 * worktree (a real change, so a real branch and pull request follow) and reports. Writing from the
 * script callback is a shortcut only the offline demo takes. With `askApproval` (the web demo) it
 * asks before writing and goes on once answered.
 */
export const makeDemoHarness = (askApproval: boolean) =>
  scriptedHarness({
    script: () => [],
    onInput: (spec, text, count) => {
      // The first input is the planning prelude: plan, change nothing.
      if (count === 1 && text.includes("First, plan")) return planSteps(spec)
      const started = at("300 millis", { _tag: "TurnStarted", turnId: `work-${count}` })
      if (!askApproval) return [started, ...workSteps(spec, count)]
      const file = `docs/${key(spec)}-${count}.md`
      return [
        started,
        at("300 millis", { _tag: "ApprovalRequested", requestId: `${approvalPrefix}${count}`, kind: "fileChange", subject: `write ${file}`, cwd: spec.worktreePath, reason: "the demo agent asks before it writes" })
      ]
    },
    onApproval: (spec, requestId, decision) => {
      const count = Number(requestId.slice(approvalPrefix.length))
      if (decision !== "decline") return workSteps(spec, count)
      return [
        at("200 millis", { _tag: "Message", itemId: `declined-${count}`, text: "Declined: nothing written." }),
        at("100 millis", { _tag: "TurnCompleted", turnId: `work-${count}`, status: "completed", usage: null, error: null })
      ]
    }
  })

