import * as NodePath from "node:path"
import { packageBinDirs } from "../binary.js"

/**
 * Claude Code ships its native binary in one npm package per platform (orchestrator's optional
 * dependencies; the `@anthropic-ai/claude-code` wrapper itself needs Node 22). Linux has glibc and
 * musl builds.
 */
export const claudePlatformPackage = (platform: string, arch: string, musl: boolean): string =>
  `@anthropic-ai/claude-code-${platform}-${arch}${platform === "linux" && musl ? "-musl" : ""}`

/** Node's own report says which libc it runs on: glibc builds name their version, musl ones do not. */
const runsOnMusl = (): boolean => {
  const report = process.report.getReport()
  return typeof report === "object" && report !== null && "header" in report && typeof report.header === "object" &&
    report.header !== null && !("glibcVersionRuntime" in report.header)
}

/**
 * The folders that hold this machine's `claude` binary when npm installed the platform package
 * beside orchestrator: `node_modules/@anthropic-ai/claude-code-<os>-<cpu>[-musl]`, nearest first.
 */
export const claudePackageDirs = (moduleUrl: string = import.meta.url): ReadonlyArray<string> => {
  const name = claudePlatformPackage(process.platform, process.arch, process.platform === "linux" && runsOnMusl())
  return packageBinDirs(moduleUrl).map((bin) => NodePath.join(NodePath.dirname(bin), ...name.split("/")))
}
