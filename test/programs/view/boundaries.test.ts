import { describe, expect, it } from "@effect/vitest"
import { build } from "esbuild"
import { readdirSync } from "node:fs"

/** The source files a bundle of `entryPoints` takes in at runtime (type-only imports are erased). */
const runtimeInputs = async (entryPoints: ReadonlyArray<string>): Promise<ReadonlyArray<string>> => {
  const result = await build({ entryPoints: [...entryPoints], bundle: true, write: false, metafile: true, outdir: "out", format: "esm", platform: "node", packages: "external", logLevel: "silent" })
  const inputs = Object.keys(result.metafile.inputs)
  const packages = Object.values(result.metafile.outputs).flatMap((output) => output.imports.filter((i) => i.external).map((i) => i.path))
  return [...inputs, ...packages]
}

describe("module boundaries", () => {
  it("the view model and its folds run without Effect, Ink, React or anything outside src/programs/view", async () => {
    const files = readdirSync("src/programs/view").map((name) => `src/programs/view/${name}`)
    expect(files).toContain("src/programs/view/listFold.ts")
    const inputs = await runtimeInputs(files)
    // The one exception: where a located path (`alpha:/srv/repo`) is parsed, plain TypeScript that imports nothing.
    expect(inputs.filter((input) => !input.startsWith("src/programs/view/"))).toEqual(["src/domain/located.ts"])
    expect(await runtimeInputs(["src/domain/located.ts"])).toEqual(["src/domain/located.ts"])
  })

  it("the Ink screen takes nothing from src/programs at runtime (types only)", async () => {
    const inputs = await runtimeInputs(["src/ui/mount.tsx"])
    expect(inputs).toContain("src/ui/components/SidePanel.tsx")
    const foreign = inputs.filter((input) => !input.startsWith("src/ui/") && !/^(ink|react|string-width)(\/|$)/.test(input) && !input.startsWith("node:"))
    // Besides Ink and the text measuring it uses itself, the one exception: the text sanitizer, plain TypeScript that imports nothing.
    expect(foreign).toEqual(["src/domain/terminalText.ts"])
    expect(await runtimeInputs(["src/domain/terminalText.ts"])).toEqual(["src/domain/terminalText.ts"])
  })
})
