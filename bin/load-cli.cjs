// Loads dist/cli.cjs through V8's code cache: Node 20 has no compile cache for ES modules, and
// parsing the bundle is a third of a short command's start-up. The cache lives beside the bundle
// (skipped when that folder is read-only) and is rebuilt when V8 rejects it (another Node version).
"use strict"
const fs = require("node:fs")
const path = require("node:path")
const vm = require("node:vm")
const Module = require("node:module")

const bundle = path.join(__dirname, "..", "dist", "cli.cjs")
const cacheFile = path.join(__dirname, "..", "dist", `.cli-${process.version}-${process.arch}.v8cache`)
const source = fs.readFileSync(bundle, "utf8")
let cachedData
try {
  cachedData = fs.readFileSync(cacheFile)
} catch {}
const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData })
if (cachedData === undefined || script.cachedDataRejected === true) {
  // Written at exit, so the cache holds the functions this run compiled too.
  process.once("exit", () => {
    try {
      const temporary = `${cacheFile}.${process.pid}`
      fs.writeFileSync(temporary, script.createCachedData())
      fs.renameSync(temporary, cacheFile)
    } catch {}
  })
}
const moduleExports = {}
const bundleModule = { exports: moduleExports }
script.runInThisContext()(moduleExports, Module.createRequire(bundle), bundleModule, bundle, path.dirname(bundle))
