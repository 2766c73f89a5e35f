// `npm run bench`: every benchmark in one run, figures printed per section. Machines are shared and
// noisy: compare ratios within one run rather than absolute numbers across runs.
// BENCH_HISTORY=s1,s2 runs the history section alone (bench/history.ts).
import { cpus } from "node:os"
import { benchEventStore } from "./eventStore.js"
import { benchEventStorePostgres } from "./eventStorePostgres.js"
import { type Figure, formatFigure } from "./figures.js"
import { benchHistory, historySelection } from "./history.js"
import { benchSessions } from "./sessions.js"
import { benchStartup } from "./startup.js"
import { benchTicketSync } from "./ticketSync.js"
import { benchUi } from "./ui.js"
import { benchWeb } from "./web.js"

const historyTitle = `history: ${historySelection().join(", ").toUpperCase()} stores, the built program in tmux and headless`
const sections: ReadonlyArray<readonly [string, () => Promise<ReadonlyArray<Figure>>]> = [
  ["event store append (file database, WAL)", benchEventStore],
  ["event store append (PostgreSQL 15, throwaway server on 127.0.0.1)", benchEventStorePostgres],
  ["start-up", benchStartup],
  ["sessions: 20 sessions × 5,000 events, slow UI", benchSessions],
  ["terminal UI under load: 20 sessions × 200 events/s", benchUi],
  ["web dashboard under load: 20 sessions × 200 events/s", benchWeb],
  ["ticket sync: 2,000 tickets from the fake Linear (50 per page, 20 ms per page)", benchTicketSync],
  [historyTitle, benchHistory]
]

const only = process.env["BENCH_HISTORY"] !== undefined ? ["history"] : process.argv.slice(2)
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`)
for (const [title, bench] of sections) {
  if (only.length > 0 && !only.some((word) => title.includes(word))) continue
  console.log(`\n${title}`)
  for (const figure of await bench()) console.log(formatFigure(figure))
}
