import { describe, expect, it } from "vitest"
import * as fs from "node:fs"
import * as path from "node:path"

/**
 * The direction of dependencies (STYLE.md): domain ← services ← layers; programs use services and
 * domain; only the composition roots wire layers; the screen sees the view model's types only.
 * Every import in src/ is read (static, dynamic and re-exports) and checked against these rules.
 */

const root = path.resolve(import.meta.dirname, "..")
const src = path.join(root, "src")

/** Files allowed to import src/layers: they choose and wire the adapters. */
const compositionRoots = [
  "src/main.ts",
  "src/quick.ts",
  // The CLI's layer wiring: each command builds the layers it needs from the parsed options.
  "src/programs/cli/",
  // The demo wires its scripted agent and GitHub in place of the real ones.
  "src/programs/demo/",
  // The quick start of `sessions list` (Effect-free) reads the store with the layers' own statement.
  "src/programs/quick/"
]

type Area = "domain" | "services" | "layers" | "programs" | "ui" | "root"

const areaOf = (file: string): Area => {
  const relative = path.relative(src, file).split(path.sep)
  const top = relative[0] ?? ""
  return top === "domain" || top === "services" || top === "layers" || top === "programs" || top === "ui" ? top : "root"
}

const isRoot = (file: string) => {
  const relative = path.relative(root, file).split(path.sep).join("/")
  return compositionRoots.some((prefix) => (prefix.endsWith("/") ? relative.startsWith(prefix) : relative === prefix))
}

export interface ImportEdge {
  readonly from: string
  readonly to: string
  readonly typeOnly: boolean
}

const importPattern = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^"'`;]*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g

/** Every relative import of a source file, resolved to the file it names. */
export const importsOf = (file: string, text: string): ReadonlyArray<ImportEdge> =>
  [...text.matchAll(importPattern)].flatMap((match) => {
    const specifier = match[3] ?? match[4] ?? ""
    if (!specifier.startsWith(".")) return []
    const target = path.resolve(path.dirname(file), specifier).replace(/\.js$/, ".ts")
    return [{ from: file, to: target, typeOnly: match[2] !== undefined }]
  })

/** Why an import breaks the direction, or undefined when it is allowed. */
export const violation = (edge: ImportEdge): string | undefined => {
  const from = areaOf(edge.from)
  const to = areaOf(edge.to)
  if (from === to || from === "root") return undefined
  switch (from) {
    case "domain":
      return "domain imports nothing of the program"
    case "services":
      return to === "domain" ? undefined : "a port depends on the domain only"
    case "layers":
      return to === "domain" || to === "services" ? undefined : "an adapter never imports programs or the screen"
    case "programs":
      if (to === "domain" || to === "services") return undefined
      if (to === "layers") return isRoot(edge.from) ? undefined : "only the composition roots import layers"
      // `run` mounts the screen; nothing else in programs reaches into it.
      if (to === "ui") return edge.from.includes(`${path.sep}programs${path.sep}run${path.sep}`) ? undefined : "programs never import the screen"
      return undefined
    case "ui":
      if (to === "domain" && edge.typeOnly) return undefined
      // Plain TypeScript that imports nothing: the screen makes outside text safe with it.
      if (edge.to.endsWith(`${path.sep}domain${path.sep}terminalText.ts`)) return undefined
      if (to === "programs" && edge.typeOnly && edge.to.includes(`${path.sep}programs${path.sep}view${path.sep}`)) return undefined
      return "the screen imports the view model's types only"
  }
}

const sourceFiles = (dir: string): ReadonlyArray<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(full)
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : []
  })

describe("architecture", () => {
  it("every import in src/ follows the direction of dependencies", () => {
    const broken = sourceFiles(src)
      .flatMap((file) => importsOf(file, fs.readFileSync(file, "utf8")))
      .flatMap((edge) => {
        const why = violation(edge)
        return why === undefined ? [] : [`${path.relative(root, edge.from)} → ${path.relative(root, edge.to)}: ${why}`]
      })
    expect(broken).toEqual([])
  })

  it("would fail on an import from layers/ into programs/ and on the others it forbids", () => {
    const file = (relative: string) => path.join(src, relative)
    const edge = (from: string, to: string, typeOnly = false) => violation({ from: file(from), to: file(to), typeOnly })
    expect(edge("layers/workflow/Any.ts", "programs/prPipeline/pipeline.ts")).toBe("an adapter never imports programs or the screen")
    expect(edge("programs/engine/dispatch.ts", "layers/vcs/GitCli.ts")).toBe("only the composition roots import layers")
    expect(edge("programs/cli/runLayer.ts", "layers/vcs/GitCli.ts")).toBeUndefined()
    expect(edge("services/Vcs.ts", "layers/vcs/GitCli.ts")).toBe("a port depends on the domain only")
    expect(edge("domain/workflow.ts", "services/Workflow.ts")).toBe("domain imports nothing of the program")
    expect(edge("ui/App.tsx", "programs/view/viewModel.ts")).toBe("the screen imports the view model's types only")
    expect(edge("ui/App.tsx", "programs/view/viewModel.ts", true)).toBeUndefined()
    expect(edge("ui/components/Text.tsx", "domain/terminalText.ts")).toBeUndefined()
    expect(edge("ui/components/Text.tsx", "domain/ticket.ts")).toBe("the screen imports the view model's types only")
    // The reader sees every form of import the code uses.
    const text = [
      `import { a } from "../../layers/x.js"`,
      `import type { B } from "../../services/Y.js"`,
      `export { c } from "./c.js"`,
      `const m = await import("../../layers/supervisor/SupervisorLive.js")`
    ].join("\n")
    const found = importsOf(file("programs/run/runTui.ts"), text).map((found) => [path.relative(src, found.to), found.typeOnly])
    expect(found).toEqual([
      ["layers/x.ts", false],
      ["services/Y.ts", true],
      ["programs/run/c.ts", false],
      ["layers/supervisor/SupervisorLive.ts", false]
    ])
  })

  it("programs/ is one folder per use-case: no loose files", () => {
    const loose = fs.readdirSync(path.join(src, "programs"), { withFileTypes: true }).filter((entry) => entry.isFile())
    expect(loose.map((entry) => entry.name)).toEqual([])
  })

  it("only the workflow writer records workflow moves", () => {
    const writers = sourceFiles(src).filter((file) => fs.readFileSync(file, "utf8").includes("new WorkflowTransition("))
    expect(writers.map((file) => path.relative(root, file))).toEqual(["src/programs/workflow/writer.ts"])
  })
})
