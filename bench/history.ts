// "history": the cost of a long history (issue 16). Stores of growing size (bench/historyStore.ts)
// are opened by the built program as a person would: the screen in tmux at 140×40 (its first frame,
// drawn early by dist/early.cjs, and the first frame Ink draws, when keys work), headless with
// its live sessions, `tickets list` and `sessions list`. Each figure is also given as a ratio to
// `node -e 0` and, per size, to S1's.
//   BENCH_HISTORY=s1,s2 (the default; s3 takes minutes to build) picks the sizes and runs this section alone;
//   BENCH_HISTORY_IDLE_SECS (20) and BENCH_HISTORY_HEADLESS_SECS (15) set the CPU windows.
import { spawn, spawnSync } from "node:child_process"
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { binPath } from "../test/support/runBin.js"
import { makeTmux } from "../test/programs/run/tmux.js"
import { EARLY_FRAME_NOTE } from "../src/ui/earlyFrame.js"
import { runBundled } from "./bundled.js"
import { type Figure, median } from "./figures.js"
import { historyGeneratorVersion, historySizes } from "./historyStore.js"
import { cpuSecondsOfTree } from "./processCpu.js"

/** Generated stores are kept between runs (S2 is ~230 MB), outside the project. */
const cacheDir = process.env["BENCH_HISTORY_CACHE"] ?? NodePath.join(tmpdir(), "orchestrator-bench-history")
const seconds = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback)
  return Number.isFinite(value) && value > 0 ? value : fallback
}
export const historySelection = (): ReadonlyArray<string> =>
  (process.env["BENCH_HISTORY"] ?? "s1,s2").split(",").map((s) => s.trim().toLowerCase()).filter((s) => s in historySizes)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const gitEnv = { PATH: process.env["PATH"] ?? "", GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@example.test", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@example.test" }

/** The repository every generated work item names, made once. */
const benchRepo = (): string => {
  const repo = NodePath.join(cacheDir, "history-repo")
  if (!existsSync(NodePath.join(repo, ".git"))) {
    mkdirSync(repo, { recursive: true })
    for (const args of [["init", "-q", "-b", "main"], ["commit", "-q", "--allow-empty", "-m", "init"]]) {
      const result = spawnSync("git", args, { cwd: repo, env: gitEnv })
      if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed`)
    }
  }
  return repo
}

/** The generated store of a size, built once and kept in the cache (a rebuild of S2 takes ~20 s). */
const baseStore = async (size: string, repo: string): Promise<string> => {
  const file = NodePath.join(cacheDir, `history-v${historyGeneratorVersion}-${size}.sqlite`)
  if (existsSync(file)) return file
  const partial = `${file}.partial`
  for (const suffix of ["", "-wal", "-shm"]) rmSync(partial + suffix, { force: true })
  const built = (await runBundled("bench/historyBuild.ts", { file: partial, size, repo })) as { readonly events: number; readonly seconds: number }
  console.log(`  (built ${size}: ${built.events.toLocaleString("en-US")} events in ${built.seconds.toFixed(1)} s)`)
  renameSync(partial, file)
  return file
}

/** A fresh home whose config points at a copy of `store` (or at a new empty store). */
const makeHome = (repo: string, store: string | null) => {
  const home = mkdtempSync(NodePath.join(tmpdir(), "orch-bench-history-"))
  const configDir = NodePath.join(home, ".config", "orchestrator")
  mkdirSync(configDir, { recursive: true })
  const storePath = NodePath.join(home, "events.sqlite")
  if (store !== null) copyFileSync(store, storePath)
  writeFileSync(
    NodePath.join(configDir, "config.toml"),
    `ticketing_provider = "ticketing.local"\nharness_provider = "harness.codex"\nevent_store_path = ${JSON.stringify(storePath)}\n[projects]\ndemo = ${JSON.stringify(repo)}\n`
  )
  const script = NodePath.join(home, "script.json")
  writeFileSync(script, JSON.stringify({ script: [] }))
  const env = { HOME: home, PATH: process.env["PATH"] ?? "", TERM: "xterm-256color", ORCHESTRATOR_SCRIPTED_HARNESS: script }
  return { home, env, remove: () => rmSync(home, { recursive: true, force: true }) }
}

const wallMs = (args: ReadonlyArray<string>, env: Record<string, string>): number => {
  const start = performance.now()
  const result = spawnSync(process.execPath, args, { env, stdio: "ignore", timeout: 120_000 })
  if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}`)
  return performance.now() - start
}

/**
 * Time from starting a command in a 140×40 tmux pane until the screen shows `ready`, and until it
 * shows `interactive` (checked from then on; the same moment when it already does); then `after` runs.
 */
const inTmux = async <A>(
  env: Record<string, string>,
  command: ReadonlyArray<string>,
  ready: (screen: string) => boolean,
  after: (pid: number) => Promise<A>,
  interactive: (screen: string) => boolean = ready
) => {
  const tmux = makeTmux(`orch-bench-${process.pid}-${Math.round(performance.now())}`)
  try {
    const start = performance.now()
    tmux.start(env, command)
    await tmux.waitFor(ready, "the first frame", 120_000)
    const firstMs = performance.now() - start
    await tmux.waitFor(interactive, "the interactive frame", 120_000)
    const interactiveMs = performance.now() - start
    const pid = Number(tmux.pane("#{pane_pid}"))
    return { firstMs, interactiveMs, result: await after(pid) }
  } finally {
    tmux.kill()
  }
}

/** The screen's first frame shows the session list's header and the inbox: the early frame (src/earlyFrame.ts) or Ink's. */
const screenReady = (screen: string) => screen.includes("Sessions") && screen.includes("Inbox")
/** Ink's frame: the screen reads keys and the main pane no longer says the program is loading. */
const screenInteractive = (screen: string) => screenReady(screen) && !screen.includes(EARLY_FRAME_NOTE)

interface ScreenFigures {
  /** To the first frame drawn, early or Ink's. */
  readonly firstMs: number
  /** To Ink's first frame (the screen reading keys, the engine loaded). */
  readonly interactiveMs: number
  /** CPU share over the idle window from the first frame: the start-up work behind the frame included. */
  readonly idleCpu: number
  /** The same over a window starting SETTLE_SECS later: the screen at rest. */
  readonly settledCpu: number
}

/** How long after the first frame the screen counts as settled (the engine's start-up behind the frame done). */
const SETTLE_SECS = 5

const measureScreen = async (repo: string, store: string | null, runs: number, idleSecs: number): Promise<ScreenFigures> => {
  const firsts: Array<number> = []
  const interactives: Array<number> = []
  let idleCpu = 0
  let settledCpu = 0
  for (let run = 0; run < runs; run++) {
    const home = makeHome(repo, store)
    try {
      // The store is opened (and migrated, when new) before the clock starts.
      wallMs([binPath, "tickets", "list"], home.env)
      const measured = await inTmux(home.env, [process.execPath, binPath, "run"], screenReady, async (pid) => {
        if (run > 0) return { idle: 0, settled: 0 }
        const before = cpuSecondsOfTree(pid)
        await sleep(SETTLE_SECS * 1000)
        const settledFrom = cpuSecondsOfTree(pid)
        await sleep(Math.max(0, idleSecs - SETTLE_SECS) * 1000)
        const idleEnd = cpuSecondsOfTree(pid)
        await sleep(SETTLE_SECS * 1000)
        return { idle: (idleEnd - before) / idleSecs, settled: (cpuSecondsOfTree(pid) - settledFrom) / idleSecs }
      }, screenInteractive)
      firsts.push(measured.firstMs)
      interactives.push(measured.interactiveMs)
      if (run === 0) {
        idleCpu = measured.result.idle
        settledCpu = measured.result.settled
      }
    } finally {
      home.remove()
    }
  }
  return { firstMs: median(firsts), interactiveMs: median(interactives), idleCpu, settledCpu }
}

interface HeadlessFigures {
  readonly startMs: number
  readonly startCpu: number
  readonly windowCpu: number
  readonly sigintMs: number
  readonly resumed: string
}

/** `run --headless`: time and CPU to its `started` line, CPU share over the window after, SIGINT to exit. */
const measureHeadless = async (repo: string, store: string, windowSecs: number): Promise<HeadlessFigures> => {
  const home = makeHome(repo, store)
  try {
    const start = performance.now()
    const child = spawn(process.execPath, [binPath, "run", "--headless"], { env: home.env, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    let startedAt = 0
    let startCpu = 0
    const pid = child.pid ?? 0
    const started = new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding("utf8").on("data", (text: string) => {
        output += text
        if (startedAt === 0 && output.includes("event=started")) {
          startedAt = performance.now()
          startCpu = cpuSecondsOfTree(pid)
          resolve()
        }
      })
      child.stderr.setEncoding("utf8").on("data", (text: string) => (output += text))
      child.on("exit", (code) => reject(new Error(`headless exited ${code} before starting:\n${output}`)))
    })
    const exited = new Promise<number>((resolve) => child.on("exit", () => resolve(performance.now())))
    await started
    const windowStart = cpuSecondsOfTree(pid)
    await sleep(windowSecs * 1000)
    const windowCpu = (cpuSecondsOfTree(pid) - windowStart) / windowSecs
    const signalled = performance.now()
    child.kill("SIGINT")
    const exitAt = await Promise.race([exited, sleep(60_000).then(() => Number.NaN)])
    if (Number.isNaN(exitAt)) child.kill("SIGKILL")
    const resumed = /resumed=(\d+)/.exec(output)?.[1] ?? "?"
    return { startMs: startedAt - start, startCpu, windowCpu, sigintMs: exitAt - signalled, resumed }
  } finally {
    home.remove()
  }
}

const commandMs = (repo: string, store: string, args: ReadonlyArray<string>, runs = 3): number => {
  const home = makeHome(repo, store)
  try {
    wallMs([binPath, ...args], home.env)
    return median(Array.from({ length: runs }, () => wallMs([binPath, ...args], home.env)))
  } finally {
    home.remove()
  }
}

interface SizeFigures {
  readonly screen: ScreenFigures
  readonly headless: HeadlessFigures
  readonly ticketsMs: number
  readonly sessionsMs: number
}

export const benchHistory = async (): Promise<ReadonlyArray<Figure>> => {
  mkdirSync(cacheDir, { recursive: true })
  const idleSecs = seconds("BENCH_HISTORY_IDLE_SECS", 20)
  const windowSecs = seconds("BENCH_HISTORY_HEADLESS_SECS", 15)
  const repo = benchRepo()
  const bare = median(Array.from({ length: 5 }, () => wallMs(["-e", "0"], { PATH: process.env["PATH"] ?? "" })))
  // The same bare start seen through tmux: what the first frames below compare with.
  const bareRuns: Array<number> = []
  for (let k = 0; k < 3; k++) {
    const run = await inTmux({ PATH: process.env["PATH"] ?? "" }, [process.execPath, "-e", "console.log('ready'); setTimeout(() => {}, 60000)"], (s) => s.includes("ready"), async () => 0)
    bareRuns.push(run.firstMs)
  }
  const bareTmux = median(bareRuns)
  const figures: Array<Figure> = [
    { label: "node -e 0 (median)", value: Math.round(bare), unit: "ms" },
    { label: "node printing a line in tmux, first frame (median)", value: Math.round(bareTmux), unit: "ms" }
  ]
  const empty = await measureScreen(repo, null, 3, idleSecs)
  figures.push(
    { label: "empty store: run screen, first frame (tmux 140×40, early)", value: Math.round(empty.firstMs), unit: "ms" },
    { label: "  ratio to node in tmux (goal ≤ 4)", value: empty.firstMs / bareTmux, unit: "×" },
    { label: "empty store: run screen, first Ink frame", value: Math.round(empty.interactiveMs), unit: "ms" },
    { label: "  ratio to node in tmux", value: empty.interactiveMs / bareTmux, unit: "×" }
  )
  const bySize = new Map<string, SizeFigures>()
  for (const key of historySelection()) {
    const size = historySizes[key]
    if (size === undefined) continue
    const store = await baseStore(key, repo)
    const screen = await measureScreen(repo, store, 3, idleSecs)
    const headless = await measureHeadless(repo, store, windowSecs)
    const ticketsMs = commandMs(repo, store, ["tickets", "list"])
    const sessionsMs = commandMs(repo, store, ["sessions", "list"])
    bySize.set(key, { screen, headless, ticketsMs, sessionsMs })
    const n = size.name
    figures.push(
      { label: `${n} (${size.sessions} sessions, ${size.tickets.toLocaleString("en-US")} tickets, ${size.events.toLocaleString("en-US")} events)`, value: size.live, unit: "live" },
      { label: `  run screen, first frame (early)`, value: Math.round(screen.firstMs), unit: "ms" },
      { label: `    ratio to node in tmux`, value: screen.firstMs / bareTmux, unit: "×" },
      { label: `  run screen, first Ink frame`, value: Math.round(screen.interactiveMs), unit: "ms" },
      { label: `  screen idle CPU over ${idleSecs} s after the first frame`, value: screen.idleCpu * 100, unit: "% core" },
      { label: `  screen idle CPU over ${idleSecs} s from ${SETTLE_SECS} s after it`, value: screen.settledCpu * 100, unit: "% core" },
      { label: `  headless: start to its started line (${headless.resumed} resumed)`, value: Math.round(headless.startMs), unit: "ms" },
      { label: `  headless: CPU until started`, value: headless.startCpu, unit: "s" },
      { label: `  headless: CPU over ${windowSecs} s after started`, value: headless.windowCpu * 100, unit: "% core" },
      { label: `  headless: SIGINT to exit`, value: Math.round(headless.sigintMs), unit: "ms" },
      { label: `  tickets list (default page, median)`, value: Math.round(ticketsMs), unit: "ms" },
      { label: `    ratio to node -e 0`, value: ticketsMs / bare, unit: "×" },
      { label: `  sessions list (median)`, value: Math.round(sessionsMs), unit: "ms" },
      { label: `    ratio to node -e 0`, value: sessionsMs / bare, unit: "×" }
    )
  }
  const s1 = bySize.get("s1")
  for (const [key, other] of bySize) {
    if (s1 === undefined || key === "s1") continue
    const n = historySizes[key]?.name ?? key
    figures.push(
      { label: `${n}/S1: run screen, first frame (goal ≤ 1.5)`, value: other.screen.firstMs / s1.screen.firstMs, unit: "×" },
      { label: `${n}/S1: run screen, first Ink frame`, value: other.screen.interactiveMs / s1.screen.interactiveMs, unit: "×" },
      { label: `${n}/S1: headless start`, value: other.headless.startMs / s1.headless.startMs, unit: "×" },
      { label: `${n}/S1: tickets list (goal ≤ 1.5)`, value: other.ticketsMs / s1.ticketsMs, unit: "×" },
      { label: `${n}/S1: sessions list`, value: other.sessionsMs / s1.sessionsMs, unit: "×" }
    )
  }
  return figures
}
