import { CliConfig, Command, HelpDoc } from "@effect/cli"
// Deep imports: the package's index would pull in its HTTP client (undici) on every start.
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Effect, Exit } from "effect"
import packageJson from "../package.json" with { type: "json" }
import { hoistGlobalFlags } from "./programs/cli/argv.js"
import { parserConsole, wantsPlainText } from "./programs/cli/parserConsole.js"
import { askCommand } from "./programs/cli/askCommand.js"
import { configCommand } from "./programs/cli/configCommand.js"
import { doctorCommand } from "./programs/cli/doctorCommand.js"
import { runnerCommand } from "./programs/cli/runnerCommand.js"
import { reportFailure } from "./programs/cli/failure.js"
import { rootCommand } from "./programs/cli/globals.js"
import { runCommand } from "./programs/cli/runCommand.js"
import { sessionsCommand } from "./programs/cli/sessionsCommand.js"
import { syncCommand } from "./programs/cli/syncCommand.js"
import { ticketsCommand } from "./programs/cli/ticketsCommand.js"
import { usageFlags } from "./programs/cli/usageError.js"

const cli = rootCommand.pipe(
  Command.withDescription("Supervise autonomous coding agents from ticket to merged pull request."),
  Command.withSubcommands([runCommand, sessionsCommand, ticketsCommand, syncCommand, askCommand, configCommand, doctorCommand, runnerCommand])
)

const argv = hoistGlobalFlags(process.argv)
const verbose = argv.includes("--verbose")

const program = Effect.gen(function* () {
  const console = yield* Effect.console
  // The parser's help and errors go through parserConsole; the commands print with the console as it was.
  const run = Command.run(
    cli.pipe(Command.transformHandler((effect) => Console.withConsole(effect, console))),
    { name: "orchestrator", version: packageJson.version }
  )
  const usage = { argv, flags: () => usageFlags(HelpDoc.toAnsiText(Command.getHelp(cli, CliConfig.defaultConfig))) }
  return yield* run(argv).pipe(
    Console.withConsole(parserConsole(console, wantsPlainText(process.env, process.stdout.isTTY === true))),
    Effect.as(0),
    Effect.catchAllCause((cause) => reportFailure(cause, verbose, usage))
  )
}).pipe(Effect.provide(NodeContext.layer))

NodeRuntime.runMain(program, {
  disableErrorReporting: true,
  // The exit code is set, not forced: stdout drains before the process ends.
  teardown: (exit, onExit) => {
    process.exitCode = Exit.isSuccess(exit) && typeof exit.value === "number" ? exit.value : 1
    onExit(0)
  }
})
