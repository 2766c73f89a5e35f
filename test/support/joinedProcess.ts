// A child process a test starts and waits for: resolved once it prints the line that says it is
// ready (a runner joined the cluster), rejected with its output if it exits first or takes a minute.
import { type ChildProcess, spawn } from "node:child_process"

export interface JoinedProcess {
  readonly child: ChildProcess
  /** Everything it printed so far, stdout and stderr. */
  readonly output: () => string
  /** Resolves once it printed `ready`. */
  readonly joined: Promise<void>
}

export const spawnJoined = (
  what: string,
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly env: Record<string, string>; readonly cwd?: string; readonly ready: string }
): JoinedProcess => {
  const child = spawn(command, [...args], { env: options.env, cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] })
  let output = ""
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()))
  const joined = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not join in 60 s:\n${output}`)), 60_000)
    const read = () => {
      if (output.includes(options.ready)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout?.on("data", read)
    child.stderr?.on("data", read)
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`${what} exited ${code}:\n${output}`))
    })
  })
  return { child, output: () => output, joined }
}
