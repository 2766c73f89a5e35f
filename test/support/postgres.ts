// A throwaway PostgreSQL 15 (the Debian package) for tests and benches: initdb into a temp dir and
// pg_ctl as the `postgres` user (the server refuses to run as root), on 127.0.0.1 with its own
// free port and its socket in the temp dir. A password is required, so the tests cover the secret path.
import { spawnSync } from "node:child_process"
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir, userInfo } from "node:os"
import * as NodePath from "node:path"

const BIN = "/usr/lib/postgresql/15/bin"

export interface ThrowawayPostgres {
  readonly port: number
  readonly user: string
  readonly password: string
  /** postgres://user:password@127.0.0.1:port/database */
  readonly url: (database?: string) => string
  /** A fresh empty database (named for the caller), created through psql. */
  readonly createDatabase: (name: string) => string
  /**
   * Stops the server at once (every connection cut, as a crash would) and starts it again on the same
   * port, after `downMs` (this process waits, blocked).
   */
  readonly restart: (downMs?: number) => void
  /** Stops the server at once and removes its directory. */
  readonly stop: () => void
}

/** True when the Debian package is installed (`.ci/run` installs it). */
export const postgresInstalled = (): boolean => existsSync(NodePath.join(BIN, "pg_ctl"))

/** A port nobody listens on right now (for a server that cannot be told to take port 0). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

/** Runs a server binary as `postgres` when we are root (as CI is), else as ourselves. */
const runAsPostgres = (binary: string, args: ReadonlyArray<string>) => {
  const asRoot = userInfo().uid === 0
  const result = asRoot
    ? spawnSync("runuser", ["-u", "postgres", "--", NodePath.join(BIN, binary), ...args], { encoding: "utf8" })
    : spawnSync(NodePath.join(BIN, binary), [...args], { encoding: "utf8" })
  if (result.status !== 0) throw new Error(`${binary} ${args.join(" ")} exited ${result.status}: ${result.stderr}${result.stdout}`)
  return result.stdout
}

export const startPostgres = async (): Promise<ThrowawayPostgres> => {
  const dir = mkdtempSync(NodePath.join(tmpdir(), "orch-pg-"))
  const data = NodePath.join(dir, "data")
  const password = `pw-${Math.random().toString(36).slice(2)}`
  const user = "orchestrator"
  const pwfile = NodePath.join(dir, "pw")
  writeFileSync(pwfile, password)
  if (userInfo().uid === 0) {
    const pg = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" })
    const uid = Number(pg.stdout.trim())
    const gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim())
    chownSync(dir, uid, gid)
    chownSync(pwfile, uid, gid)
  }
  chmodSync(dir, 0o700)
  runAsPostgres("initdb", ["-D", data, "-U", user, "--pwfile", pwfile, "--auth", "scram-sha-256", "-E", "UTF8", "--no-sync"])
  const port = await freePort()
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c max_connections=200`
  const start = () => runAsPostgres("pg_ctl", ["-D", data, "-o", options, "-l", NodePath.join(dir, "log"), "-w", "-t", "60", "start"])
  start()
  const url = (database = "postgres") => `postgres://${user}:${password}@127.0.0.1:${port}/${database}`
  let stopped = false
  return {
    port,
    user,
    password,
    url,
    createDatabase: (name) => {
      const result = spawnSync(NodePath.join(BIN, "psql"), [url(), "-v", "ON_ERROR_STOP=1", "-qc", `CREATE DATABASE "${name}"`], {
        encoding: "utf8"
      })
      if (result.status !== 0) throw new Error(`CREATE DATABASE ${name}: ${result.stderr}`)
      return url(name)
    },
    restart: (downMs = 0) => {
      runAsPostgres("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])
      if (downMs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, downMs)
      start()
    },
    stop: () => {
      if (stopped) return
      stopped = true
      try {
        runAsPostgres("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
  }
}
