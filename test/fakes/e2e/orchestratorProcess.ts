import { Effect, type Scope } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import * as NodePath from "node:path"
import { binPath, projectRoot } from "../../support/runBin.js"

/**
 * The built bin running `run --headless ...` as a real child process, in its own process group so
 * the agents it spawned can be reaped with it. Stdout is kept line by line (the logfmt log).
 */
export interface OrchestratorProcess {
  readonly pid: number
  readonly lines: ReadonlyArray<string>
  readonly stderr: () => string
  /** Resolves with the first line matching, or fails after `timeoutMs` with what was seen. */
  readonly waitForLine: (match: (line: string) => boolean, what: string, timeoutMs?: number) => Effect.Effect<string>
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: (timeoutMs?: number) => Effect.Effect<number | null>
  /** `kill -9` of orchestrator alone, as a crash would: its agents are left to notice on their own. */
  readonly crash: Effect.Effect<void>
  /** `kill -9` of orchestrator and every agent below it, as the machine going down would. */
  readonly crashWithAgents: Effect.Effect<void>
}

const signalGroup = (pid: number, signal: NodeJS.Signals | 0): boolean => {
  try {
    process.kill(-pid, signal)
    return true
  } catch {
    return false
  }
}

/** Every process below `pid` now (from /proc): the agents spawn in process groups of their own. */
const descendants = (pid: number): ReadonlyArray<number> => {
  const children = new Map<number, Array<number>>()
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // Field 4 of /proc/PID/stat is the parent; the command (field 2) may hold spaces, so read after ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8")
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1])
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)])
    } catch {
      // The process ended while we looked.
    }
  }
  const found: Array<number> = []
  const visit = (id: number) => {
    for (const child of children.get(id) ?? []) {
      found.push(child)
      visit(child)
    }
  }
  visit(pid)
  return found
}

/** Kills each process group and waits (bounded) until no member is left, so their files can go. */
const killGroups = (pids: ReadonlyArray<number>) =>
  Effect.gen(function* () {
    for (const pid of pids) {
      signalGroup(pid, "SIGKILL")
      try {
        process.kill(pid, "SIGKILL")
      } catch {
        // Already gone.
      }
    }
    for (let i = 0; i < 100 && pids.some((pid) => signalGroup(pid, 0)); i++) yield* Effect.sleep("50 millis")
  })

// Effect's own log lines (periodic sync notes) are left out: the logfmt lines tell the story.
const tail = (lines: ReadonlyArray<string>, stderr: string) =>
  `\n--- stdout tail ---\n${lines.filter((line) => line.startsWith("time=") || line.startsWith("event=")).slice(-40).join("\n")}\n--- stderr ---\n${stderr.slice(-3000)}`

export const startOrchestrator = (
  args: ReadonlyArray<string>,
  env: Record<string, string>
): Effect.Effect<OrchestratorProcess, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => {
      if (!existsSync(NodePath.join(projectRoot, "dist", "main.js"))) {
        throw new Error("dist/main.js is missing: run `npm run build` first (npm test does)")
      }
      const child: ChildProcess = spawn(process.execPath, [binPath, ...args], {
        cwd: projectRoot,
        env,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"]
      })
      const lines: Array<string> = []
      let partial = ""
      let stderr = ""
      const waiters = new Set<() => void>()
      const notify = () => {
        for (const waiter of waiters) waiter()
      }
      child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
        const parts = (partial + chunk).split("\n")
        partial = parts.pop() ?? ""
        lines.push(...parts)
        notify()
      })
      child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
        stderr = (stderr + chunk).slice(-20_000)
      })
      let exitCode: number | null | undefined
      child.on("exit", (code) => {
        exitCode = code
        notify()
      })

      /** Runs `check` on every output and on exit until it answers, or fails after `timeoutMs`. */
      const until = <A>(check: () => { readonly value: A } | { readonly error: string } | undefined, what: string, timeoutMs: number) =>
        Effect.async<A, Error>((resume) => {
          const attempt = () => {
            const found = check()
            if (found === undefined) return
            cleanup()
            resume("value" in found ? Effect.succeed(found.value) : Effect.fail(new Error(found.error)))
          }
          const timer = setTimeout(() => {
            cleanup()
            resume(Effect.fail(new Error(`timed out after ${timeoutMs} ms waiting for ${what}${tail(lines, stderr)}`)))
          }, timeoutMs)
          const waiter = () => attempt()
          const cleanup = () => {
            clearTimeout(timer)
            waiters.delete(waiter)
          }
          waiters.add(waiter)
          attempt()
          return Effect.sync(cleanup)
        }).pipe(Effect.orDie)

      const waitForLine = (match: (line: string) => boolean, what: string, timeoutMs = 60_000) =>
        until<string>(
          () => {
            const line = lines.find(match)
            if (line !== undefined) return { value: line }
            return exitCode === undefined ? undefined : { error: `orchestrator exited (${String(exitCode)}) before ${what}${tail(lines, stderr)}` }
          },
          what,
          timeoutMs
        )
      const exited = (timeoutMs = 120_000) =>
        until<number | null>(() => (exitCode === undefined ? undefined : { value: exitCode }), "orchestrator to exit", timeoutMs)
      // Agents orchestrator left behind when it was killed: a crash leaves them to notice on their
      // own, the test's scope reaps them at the end.
      const orphans: Array<number> = []
      const crash = Effect.zipRight(
        Effect.sync(() => {
          if (child.pid !== undefined) orphans.push(...descendants(child.pid))
          child.kill("SIGKILL")
        }),
        exited(10_000)
      ).pipe(Effect.asVoid)

      const crashWithAgents = Effect.zipRight(
        Effect.suspend(() => killGroups(child.pid === undefined ? [] : [...descendants(child.pid), child.pid])),
        exited(10_000)
      ).pipe(Effect.asVoid)

      return {
        child,
        orphans,
        process: { pid: child.pid ?? -1, lines, stderr: () => stderr, waitForLine, exited, crash, crashWithAgents } satisfies OrchestratorProcess
      }
    }),
    // Orchestrator if it still runs, every agent below it, and any agent it left behind.
    ({ child, orphans }) => killGroups(child.pid === undefined ? orphans : [child.pid, ...descendants(child.pid), ...orphans])
  ).pipe(Effect.map(({ process }) => process))

/** A field of a logfmt line (`key=value` or `key="quoted value"`), or undefined. */
export const field = (line: string, key: string): string | undefined => {
  const match = new RegExp(`(?:^| )${key}=("(?:[^"\\\\]|\\\\.)*"|\\S+)`).exec(line)
  const raw = match?.[1]
  if (raw === undefined) return undefined
  return raw.startsWith('"') ? String(JSON.parse(raw)) : raw
}

export const isEvent = (tag: string) => (line: string) => field(line, "event") === tag
