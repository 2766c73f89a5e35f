// Everything `orchestrator run` needs beyond its options, loaded only when `run` starts: the
// engine, the harnesses, git, gh and the screen stay out of the other commands' start-up.
export { RunLayer } from "./runLayer.js"
export { runTui } from "../run/runTui.js"
export { runHeadless } from "../engine/headless.js"
export { runDemo } from "../demo/runDemo.js"
export { optionalSupervisor } from "./optionalSupervisor.js"
export { withWeb } from "../web/withWeb.js"
