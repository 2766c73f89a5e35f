import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import { existsSync, readFileSync } from "node:fs"
import * as NodePath from "node:path"
import { fileURLToPath } from "node:url"

/** The page's bundle: dist/web/app.js beside the built CLI, or built from source into dist/ (dev runs). */
const bundlePath = (): string | undefined => {
  const here = NodePath.dirname(fileURLToPath(import.meta.url))
  const candidates = [NodePath.join(here, "web", "app.js"), NodePath.join(here, "..", "..", "..", "dist", "web", "app.js")]
  return candidates.find((candidate) => existsSync(candidate))
}

const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>orchestrator</title>
<link rel="icon" href="data:,">
</head>
<body>
<div id="root">Loading…</div>
<script type="module" src="/app.js"></script>
</body>
</html>
`

/** The page and its script, served by the same process (no CDN, nothing fetched from elsewhere). */
export const pageRoutes = HttpApiBuilder.Router.use((router) =>
  Effect.gen(function* () {
    const path = bundlePath()
    // Read once: the bundle does not change while the process runs.
    const script = path === undefined ? 'document.getElementById("root").textContent = "The page was not built: run npm run build."' : readFileSync(path, "utf8")
    yield* router.get("/", Effect.succeed(HttpServerResponse.html(html)))
    yield* router.get("/app.js", Effect.succeed(HttpServerResponse.text(script, { contentType: "text/javascript; charset=utf-8" })))
  })
)
