import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { binPath, projectRoot } from "./runBin.js"

export interface WebDemo {
  readonly url: string
  readonly token: string
  readonly tokenFile: string
  readonly home: string
  readonly output: () => string
  readonly stop: () => Promise<number | null>
}

/** Secrets put in the run's environment, so tests can check no response ever carries one. */
export const planted = {
  LINEAR_API_KEY: "lin_api_planted_4f1e2d3c",
  SHORTCUT_API_TOKEN: "sc_planted_9a8b7c6d",
  GITHUB_TOKEN: "ghp_planted_0123456789abcdef",
  OPENAI_API_KEY: "sk-planted-7e6d5c4b3a"
}

/** `orchestrator run --demo --headless --web` from the built bin, until its web_started line (or a minute). */
export const startWebDemo = (extraArgs: ReadonlyArray<string> = []): Promise<WebDemo> => startWebRun(["--demo", ...extraArgs])

/**
 * `orchestrator run --headless --web` on the embedded defaults (local tickets, SQLite, no supervisor
 * key) in a fresh HOME, the web server on any free port.
 */
export const startWebPlain = (): Promise<WebDemo> =>
  startWebRun([], (home) => {
    mkdirSync(NodePath.join(home, "config", "orchestrator"), { recursive: true })
    writeFileSync(NodePath.join(home, "config", "orchestrator", "config.toml"), "[web]\nport = 0\n")
  })

const startWebRun = async (extraArgs: ReadonlyArray<string>, prepare: (home: string) => void = () => undefined): Promise<WebDemo> => {
  if (!existsSync(NodePath.join(projectRoot, "dist", "web", "app.js"))) throw new Error("dist/web/app.js is missing: run `npm run build` first")
  const home = mkdtempSync(NodePath.join(tmpdir(), "orchestrator-web-home-"))
  prepare(home)
  const child: ChildProcess = spawn(process.execPath, [binPath, "run", "--headless", "--web", ...extraArgs], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? "", HOME: home, XDG_DATA_HOME: NodePath.join(home, "data"), XDG_CONFIG_HOME: NodePath.join(home, "config"), ...planted },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let out = ""
  child.stdout?.on("data", (chunk: Buffer) => void (out += chunk.toString()))
  child.stderr?.on("data", (chunk: Buffer) => void (out += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  const started = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no web_started line within 60 s:\n${out}`)), 60_000)
    const check = () => {
      const match = out.match(/event=web_started url=(\S+) token_file=(\S+)/)
      if (match !== null) {
        clearTimeout(timer)
        resolve(match)
      }
    }
    child.stdout?.on("data", check)
    void exited.then(() => reject(new Error(`the run exited before serving:\n${out}`)))
  })
  const url = started[1] ?? ""
  const tokenFile = started[2] ?? ""
  return {
    url,
    tokenFile,
    token: readFileSync(tokenFile, "utf8").trim(),
    home,
    output: () => out,
    stop: async () => {
      child.kill("SIGTERM")
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000)
      const code = await exited
      clearTimeout(timer)
      return code
    }
  }
}
