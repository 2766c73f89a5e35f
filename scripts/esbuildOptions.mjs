// The esbuild options every bundle shares: the CLI build (scripts/build.mjs) and the benchmarks that
// run their scenario from a bundle, as the installed program does.
export const sharedOptions = {
  bundle: true,
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  // React's production build: the development one is several times slower per render.
  define: { "process.env.NODE_ENV": '"production"' },
  alias: {
    yaml: "./scripts/stubs/unusedParser.mjs",
    toml: "./scripts/stubs/unusedParser.mjs",
    ini: "./scripts/stubs/unusedParser.mjs"
  }
}

/** Packages that stay outside every bundle: native code, shipped binaries, the optional devtools. */
export const externalPackages = ["better-sqlite3", "@openai/codex", "opencode-ai", "react-devtools-core"]

/** ES module bundles get a `require` for the external CommonJS packages. */
export const esmRequireBanner =
  "import { createRequire as __orchestratorRequire } from 'node:module'; const require = __orchestratorRequire(import.meta.url);"
