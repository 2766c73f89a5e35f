import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { type Browser, chromium, type Page } from "playwright-core"
import { startWebDemo, type WebDemo } from "../support/webDemo.js"

const CHROMIUM = "/usr/bin/chromium"
const flags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

/** Clicks Advance until the work item is in `target` (each click is one forward step the workflow allows). */
const advanceTo = async (page: Page, target: string) => {
  const state = page.getByTestId("workflow-state")
  for (let i = 0; i < 8; i++) {
    if ((await state.textContent()) === target) return
    const before = await state.textContent()
    await page.getByRole("button", { name: "Advance", exact: true }).click()
    // Either the state moves, or the pipeline moves it (draft → review) on its next poll.
    await page.waitForFunction((was) => document.querySelector('[data-testid="workflow-state"]')?.textContent !== was, before, { timeout: 20_000 }).catch(() => undefined)
  }
  expect(await state.textContent()).toBe(target)
}

describe("the web dashboard in a real headless Chromium", () => {
  let demo: WebDemo
  let browser: Browser
  const dir = mkdtempSync(NodePath.join(tmpdir(), "orchestrator-web-e2e-"))

  beforeAll(async () => {
    demo = await startWebDemo()
    browser = await chromium.launch({ executablePath: CHROMIUM, args: flags.filter((f) => f !== "--headless"), headless: true })
  }, 90_000)

  afterAll(async () => {
    await browser?.close()
    await demo?.stop()
    rmSync(demo.home, { recursive: true, force: true })
  }, 30_000)

  it("starts a ticket, streams the plan, approves, advances, confirms the merge and shows merged", async () => {
    expect(existsSync(CHROMIUM)).toBe(true)
    expect(statSync(demo.tokenFile).mode & 0o777).toBe(0o600)
    const context = await browser.newContext({ viewport: { width: 420, height: 900 } })
    const page = await context.newPage()
    try {
      // The token once in the URL; the server moves it into a cookie and sends the browser on without it.
      await page.goto(`${demo.url}?token=${demo.token}`)
      expect(page.url()).toBe(demo.url)
      await page.getByTestId("connection").filter({ hasText: "live" }).waitFor({ timeout: 20_000 })

      await page.getByTestId("start-ticket").filter({ hasText: "LOCAL-1" }).click()
      const transcript = page.getByTestId("transcript")
      // The plan arrives word by word (text deltas) over the event stream.
      await transcript.getByText("Press w n to let me implement.", { exact: false }).waitFor({ timeout: 30_000 })
      expect(await transcript.textContent()).toContain("Plan: add a short document for this ticket under docs/, then commit it.")
      await page.getByTestId("workflow-state").filter({ hasText: "Planning" }).waitFor()

      // The screen's `w n`, from the same keymap table.
      await page.keyboard.press("w")
      await page.keyboard.press("n")
      await page.getByTestId("workflow-state").filter({ hasText: "Implementing" }).waitFor({ timeout: 20_000 })
      const approval = page.getByTestId("approval")
      await approval.waitFor({ timeout: 20_000 })
      expect(await approval.textContent()).toContain("write docs/")
      await approval.getByRole("button", { name: "Approve" }).click()
      await approval.waitFor({ state: "detached", timeout: 20_000 })
      await transcript.getByText("Ready for review.", { exact: false }).waitFor({ timeout: 20_000 })

      await advanceTo(page, "PendingMerge")
      // Advance never merges: the merge is its own confirmed action.
      await page.getByRole("button", { name: "Advance", exact: true }).click()
      await page.waitForTimeout(1500)
      expect(await page.getByTestId("workflow-state").textContent()).toBe("PendingMerge")
      await page.getByRole("button", { name: "Merge…" }).click()
      await page.getByRole("button", { name: "Confirm merge" }).click()
      await page.getByTestId("pr-state").filter({ hasText: "merged" }).waitFor({ timeout: 40_000 })
      const text = (await page.textContent("body")) ?? ""
      expect(text).toContain("merged")
      expect(text).toContain("Press w n to let me implement")
    } finally {
      await page.screenshot({ path: NodePath.join(dir, "dashboard.png"), fullPage: true })
      console.log(`screenshot: ${NodePath.join(dir, "dashboard.png")}`)
      await context.close()
    }
  }, 180_000)
})
