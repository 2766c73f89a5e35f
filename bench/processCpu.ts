import { readdirSync, readFileSync } from "node:fs"

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS = 100

interface ProcStat {
  readonly ppid: number
  /** utime + stime, and for the root also what its waited-for children used. */
  readonly own: number
  readonly children: number
}

const readStat = (pid: number): ProcStat | undefined => {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8")
    // The command name may hold spaces: the fields start after its closing parenthesis.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ")
    const num = (index: number) => Number(fields[index] ?? 0)
    return { ppid: num(1), own: num(11) + num(12), children: num(13) + num(14) }
  } catch {
    return undefined
  }
}

/** CPU seconds used so far by `pid` and every process below it (those still running and those reaped). */
export const cpuSecondsOfTree = (pid: number): number => {
  const stats = new Map<number, ProcStat>()
  for (const entry of readdirSync("/proc")) {
    const child = Number(entry)
    if (!Number.isInteger(child)) continue
    const stat = readStat(child)
    if (stat !== undefined) stats.set(child, stat)
  }
  const inTree = (candidate: number): boolean => {
    for (let at = candidate, hops = 0; at > 1 && hops < 64; hops++) {
      if (at === pid) return true
      at = stats.get(at)?.ppid ?? 0
    }
    return false
  }
  let ticks = 0
  for (const [candidate, stat] of stats) if (inTree(candidate)) ticks += stat.own + stat.children
  return ticks / TICKS
}
