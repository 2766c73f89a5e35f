// Runs a command on this terminal, then reports its exit code and the terminal modes it left
// behind (canonical input and echo back on), and stays alive so the pane can still be inspected.
import { spawnSync } from "node:child_process"

const [command, ...args] = process.argv.slice(2)
const result = spawnSync(command, args, { stdio: "inherit" })
const stty = spawnSync("stty", ["-a"], { stdio: ["inherit", "pipe", "pipe"], encoding: "utf8" })
const on = (flag) => (new RegExp(`(^|\\s)${flag}(\\s|;|$)`).test(stty.stdout ?? "") ? "on" : "off")
process.stdout.write(`\nEXIT=${result.status} ICANON=${on("icanon")} ECHO=${on("echo")}\n`)
setTimeout(() => undefined, 120_000)
