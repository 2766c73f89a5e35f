import { spawnSync } from "node:child_process"
import { existsSync, rmSync } from "node:fs"

export const tmuxBinary = "/usr/bin/tmux"
export const tmuxAvailable = existsSync(tmuxBinary)

/** One private tmux server (its own socket) holding one pane that runs a command; argument arrays only. */
export const makeTmux = (socket: string) => {
  const tmux = (...args: ReadonlyArray<string>): string => {
    const result = spawnSync(tmuxBinary, ["-L", socket, "-f", "/dev/null", ...args], { encoding: "utf8", timeout: 10_000 })
    if (result.status !== 0) throw new Error(`tmux ${args.join(" ")} failed: ${result.stderr}`)
    return result.stdout
  }
  const start = (env: Record<string, string>, command: ReadonlyArray<string>, size = { columns: 140, rows: 40 }) => {
    const envArgs = Object.entries(env).flatMap(([key, value]) => ["-e", `${key}=${value}`])
    tmux("new-session", "-d", "-s", "e2e", "-x", String(size.columns), "-y", String(size.rows), ...envArgs, "--", ...command)
    // Keep the pane after the program ends, so its exit status and last screen can be read.
    tmux("set-option", "-t", "e2e", "remain-on-exit", "on")
  }
  const screen = () => tmux("capture-pane", "-p", "-t", "e2e")
  const pane = (format: string) => tmux("display-message", "-p", "-t", "e2e", format).trim()
  /** Polls the screen until it satisfies `check`; fails with the last screen after `timeoutMs`. */
  const waitFor = async (check: (screen: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> => {
    const deadline = performance.now() + timeoutMs
    let last = ""
    while (performance.now() < deadline) {
      last = screen()
      if (check(last)) return last
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(`timed out waiting for ${what}; the screen was:\n${last}`)
  }
  const keys = (...keyNames: ReadonlyArray<string>) => void tmux("send-keys", "-t", "e2e", ...keyNames)
  const type = (text: string) => void tmux("send-keys", "-t", "e2e", "-l", text)
  /** Stops the server and removes its socket file (the server leaves it behind). */
  const kill = () => {
    const path = spawnSync(tmuxBinary, ["-L", socket, "display-message", "-p", "#{socket_path}"], { encoding: "utf8", timeout: 10_000 }).stdout.trim()
    spawnSync(tmuxBinary, ["-L", socket, "kill-server"], { timeout: 10_000 })
    if (path !== "") rmSync(path, { force: true })
  }
  return { start, screen, pane, waitFor, keys, type, kill }
}
