// A stand-in for `codex app-server` for what the real binary cannot be made to do on cue: ask the
// user a question, send a server request orchestrator does not know, report a plan and a diff.
// It answers with the shapes `codex app-server generate-ts` (0.169) describes, then echoes the
// client's answers back as an agent message so the test can assert them.
import * as readline from "node:readline"

const send = (message) => process.stdout.write(JSON.stringify(message) + "\n")
const notify = (method, params) => send({ method, params: { threadId: "thr_fake", turnId: "turn_1", ...params }, emittedAtMs: 0 })
const answers = {}

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const message = JSON.parse(line)
  if (message.method === "initialize") return send({ id: message.id, result: { userAgent: "fake/0.0.0" } })
  // FAKE_CODEX_SILENT: a thread/start that never answers, as a wrong model name can cause.
  if (message.method === "thread/start" && process.env.FAKE_CODEX_SILENT === "1") return
  if (message.method === "thread/start") return send({ id: message.id, result: { thread: { id: "thr_fake" } } })
  if (message.method === "turn/start") {
    send({ id: message.id, result: { turn: { id: "turn_1", status: "inProgress", items: [], error: null } } })
    notify("turn/started", { turn: { id: "turn_1", status: "inProgress", items: [], error: null } })
    notify("turn/plan/updated", { explanation: null, plan: [{ step: "look", status: "completed" }, { step: "ask", status: "inProgress" }] })
    notify("item/reasoning/summaryTextDelta", { itemId: "rs_1", delta: "Thinking", summaryIndex: 0 })
    notify("item/completed", { item: { type: "reasoning", id: "rs_1", summary: ["Thinking"], content: [] } })
    send({
      method: "item/tool/requestUserInput",
      id: 0,
      params: {
        threadId: "thr_fake", turnId: "turn_1", itemId: "ask_1", isBlocking: true, autoResolutionMs: null,
        questions: [{
          id: "colour", header: "Colour", question: "Which colour?", isOther: false, isSecret: false,
          options: [{ label: "red", description: "warm" }, { label: "blue", description: "cool" }]
        }]
      }
    })
    send({ method: "item/permissions/requestApproval", id: 1, params: { threadId: "thr_fake", turnId: "turn_1", itemId: "p", reason: null } })
    return
  }
  if (message.method === undefined && message.id !== undefined) {
    answers[message.id] = message.result ?? { error: message.error }
    if (Object.keys(answers).length < 2) return
    notify("turn/diff/updated", { diff: "diff --git a/x b/x\n" })
    notify("item/completed", { item: { type: "agentMessage", id: "msg_1", text: JSON.stringify(answers) } })
    notify("thread/tokenUsage/updated", {
      tokenUsage: {
        total: { totalTokens: 7, inputTokens: 5, cachedInputTokens: 0, cacheWriteInputTokens: 0, outputTokens: 2, reasoningOutputTokens: 0 },
        last: { totalTokens: 7, inputTokens: 5, cachedInputTokens: 0, cacheWriteInputTokens: 0, outputTokens: 2, reasoningOutputTokens: 0 },
        modelContextWindow: null
      }
    })
    notify("turn/completed", { turn: { id: "turn_1", status: "completed", items: [], error: null } })
  }
})
