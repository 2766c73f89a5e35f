import packageJson from "../../../package.json" with { type: "json" }

/** Set by scripts/build.mjs to one id per build, the same in every bundle of that build. */
declare const __ORCHESTRATOR_BUILD_ID__: string | undefined

/**
 * The version and the build: records one build writes for another to trust (the checked-config
 * record) must come from the same code, and a rebuild of the same version is other code.
 */
export const programBuild = `${packageJson.version}+${typeof __ORCHESTRATOR_BUILD_ID__ === "string" ? __ORCHESTRATOR_BUILD_ID__ : "source"}`
