// Bundles the CLI into dist/ so the installed bin loads one compiled file (start-up time matters).
// Native and binary-shipping packages stay external; Ink, React and the AI client are split into
// chunks that only the commands needing them load.
import { build } from "esbuild"
import { randomUUID } from "node:crypto"
import { chmod, copyFile, rm } from "node:fs/promises"
import { esmRequireBanner, externalPackages, sharedOptions } from "./esbuildOptions.mjs"

await rm(new URL("../dist", import.meta.url), { recursive: true, force: true })
// One id for every bundle of this build (src/programs/cli/programBuild.ts): a record one build wrote is
// not trusted by another.
const buildId = randomUUID().slice(0, 8)
const shared = { ...sharedOptions, define: { ...sharedOptions.define, __ORCHESTRATOR_BUILD_ID__: JSON.stringify(buildId) } }

// Every command but `run` and `runner`, as one CommonJS file that bin/load-cli.cjs reads through V8's code
// cache. `run` (and its screen, whose layout engine uses top-level await) stays out of it.
await build({
  ...shared,
  entryPoints: { cli: "src/main.ts" },
  outfile: "dist/cli.cjs",
  format: "cjs",
  define: { ...shared.define, "import.meta.url": "__importMetaUrl" },
  // The cluster code is for `orchestrator runner` (and a coordinator's `run`), which bin/orchestrator.js sends to the ES module build.
  external: [...externalPackages, "./runEntry.js", "./runnerLayer.js"],
  banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' }
})

// The quick start paths: `sessions list` (src/quick.ts) and the early frame of `run` (src/earlyFrame.ts),
// plain Node and better-sqlite3 only. Effect, Ink or React in them would bring back the start-up cost
// they exist to avoid, so the build refuses that.
for (const [name, entry] of [["quick", "src/quick.ts"], ["early", "src/earlyFrame.ts"]]) {
  const quick = await build({
    ...shared,
    entryPoints: { [name]: entry },
    outfile: `dist/${name}.cjs`,
    format: "cjs",
    external: externalPackages,
    metafile: true
  })
  const heavy = Object.keys(quick.metafile.inputs).filter((input) => /node_modules\/(effect|@effect|ink|react)\//.test(input))
  if (heavy.length > 0) throw new Error(`dist/${name}.cjs must not bundle Effect, Ink or React; it pulls in ${heavy.slice(0, 3).join(", ")}`)
}

const esm = await build({
  entryPoints: { main: "src/main.ts" },
  ...shared,
  outdir: "dist",
  splitting: true,
  format: "esm",
  sourcemap: "linked",
  external: externalPackages,
  banner: { js: esmRequireBanner },
  metafile: true
})

// A single-machine `run` loads no cluster code: what main.js and the run screen's entry load up front
// (their static imports, followed through) must not hold @effect/cluster.
const outputs = esm.metafile.outputs
const loadedWith = (start) => {
  const seen = new Set()
  const visit = (file) => {
    if (seen.has(file) || outputs[file] === undefined) return
    seen.add(file)
    for (const imported of outputs[file].imports) if (imported.kind === "import-statement") visit(imported.path)
  }
  visit(start)
  return [...seen]
}
const runStart = Object.keys(outputs).filter((file) => /^dist\/(main|runEntry-[^/]+)\.js$/.test(file))
const clustered = runStart
  .flatMap(loadedWith)
  .filter((file) => Object.keys(outputs[file].inputs).some((input) => input.includes("node_modules/@effect/cluster/")))
if (clustered.length > 0) throw new Error(`run's start-up would load the cluster's code (${[...new Set(clustered)].join(", ")}): import it dynamically`)

// The web dashboard's page (src/web): one browser bundle that `run --web` serves from dist/web/.
await build({
  entryPoints: { app: "src/web/main.tsx" },
  outdir: "dist/web",
  bundle: true,
  platform: "browser",
  target: "es2022",
  format: "esm",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  define: { "process.env.NODE_ENV": '"production"' }
})

// The scripted gh that `run --demo` uses ships beside the bundle.
await copyFile(new URL("../src/programs/demo/scriptedGh.js", import.meta.url), new URL("../dist/scriptedGh.js", import.meta.url))
await chmod(new URL("../dist/scriptedGh.js", import.meta.url), 0o755)
