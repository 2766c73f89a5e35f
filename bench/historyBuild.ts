// Builds one history store as a program of its own: bench/history.ts runs it bundled (bench/bundled.ts),
// so the generator's memory and time are not the bench's. Input: { file, size, repo }.
import { Effect } from "effect"
import { buildHistoryStore, historySizes } from "./historyStore.js"

const input: { readonly file: string; readonly size: string; readonly repo: string } = JSON.parse(process.argv[2] ?? "{}")
const size = historySizes[input.size]
if (size === undefined) throw new Error(`no history size ${input.size}`)
const started = performance.now()
const events = await Effect.runPromise(buildHistoryStore(input.file, size, input.repo))
console.log(JSON.stringify({ events, seconds: (performance.now() - started) / 1000 }))
