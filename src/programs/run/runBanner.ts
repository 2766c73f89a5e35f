import { Context } from "effect"

/** A line the screen always shows on top of its own notices (the demo labels itself with it). */
export class RunBanner extends Context.Tag("orchestrator/RunBanner")<RunBanner, string>() {}
