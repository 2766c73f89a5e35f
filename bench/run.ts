// `npm run bench`: every benchmark in one run, figures printed per section. Machines are shared and
// noisy: compare ratios within one run rather than absolute numbers across runs.
import { cpus } from "node:os"
import { benchEventStore } from "./eventStore.js"
import { type Figure, formatFigure } from "./figures.js"
import { benchSessions } from "./sessions.js"
import { benchStartup } from "./startup.js"
import { benchTicketSync } from "./ticketSync.js"
import { benchUi } from "./ui.js"
import { benchWeb } from "./web.js"

const sections: ReadonlyArray<readonly [string, () => Promise<ReadonlyArray<Figure>>]> = [
  ["event store append (file database, WAL)", benchEventStore],
  ["start-up", benchStartup],
  ["sessions: 20 sessions × 5,000 events, slow UI", benchSessions],
  ["terminal UI under load: 20 sessions × 200 events/s", benchUi],
  ["web dashboard under load: 20 sessions × 200 events/s", benchWeb],
  ["ticket sync: 2,000 tickets from the fake Linear (50 per page, 20 ms per page)", benchTicketSync]
]

const only = process.argv.slice(2)
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`)
for (const [title, bench] of sections) {
  if (only.length > 0 && !only.some((word) => title.includes(word))) continue
  console.log(`\n${title}`)
  for (const figure of await bench()) console.log(formatFigure(figure))
}
