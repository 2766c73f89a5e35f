import { render } from "ink-testing-library"
import { App } from "../../src/ui/App.js"
import type { UiActions, UiStore } from "../../src/programs/view/uiStore.js"
import { resolveTheme } from "../../src/ui/theme.js"
import { emptySidePanel, emptyViewModel, type FocusedSession, type ViewModel } from "../../src/programs/view/viewModel.js"

export interface Call {
  readonly action: keyof UiActions
  readonly args: ReadonlyArray<unknown>
}

/** A UiStore over a view model the test replaces, recording every action the screen runs. */
export const fakeStore = (initial: ViewModel) => {
  let vm = initial
  const listeners = new Set<() => void>()
  const calls: Array<Call> = []
  const record =
    (action: keyof UiActions) =>
    (...args: ReadonlyArray<unknown>) => {
      calls.push({ action, args })
      return Promise.resolve()
    }
  const actions: UiActions = {
    focusSession: record("focusSession"),
    startTicket: record("startTicket"),
    createTicket: record("createTicket"),
    sendMessage: record("sendMessage"),
    answerInput: record("answerInput"),
    answerApproval: record("answerApproval"),
    advance: record("advance"),
    merge: record("merge"),
    archive: record("archive"),
    openDiff: record("openDiff"),
    closeDiff: record("closeDiff"),
    ask: record("ask")
  }
  const store: UiStore = {
    getSnapshot: () => vm,
    subscribe: (listener) => {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    actions
  }
  const set = (f: (vm: ViewModel) => ViewModel) => {
    vm = f(vm)
    for (const listener of listeners) listener()
  }
  return { store, calls, set }
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Polls the newest frame until it satisfies `check` (a bounded number of event-loop turns). */
export const waitForFrame = async (lastFrame: () => string | undefined, check: (frame: string) => boolean): Promise<string> => {
  for (let i = 0; i < 500; i++) {
    const frame = lastFrame() ?? ""
    if (check(frame)) return frame
    await new Promise<void>((resolve) => setTimeout(resolve, 2))
  }
  throw new Error(`no frame matched; the last one was:\n${lastFrame() ?? ""}`)
}

/** Renders the app over a fake store; `press` writes keys one at a time and lets Ink handle each. */
export const renderApp = (vm: ViewModel, env: Record<string, string> = { NO_COLOR: "1" }, notify?: (sequence: string) => void) => {
  const fake = fakeStore(vm)
  const instance = render(<App store={fake.store} theme={resolveTheme("nord", env)} notify={notify} />)
  const press = async (...keys: ReadonlyArray<string>) => {
    for (const key of keys) {
      instance.stdin.write(key)
      await nextTick()
      await nextTick()
    }
  }
  const frame = (check: (frame: string) => boolean) => waitForFrame(instance.lastFrame, check)
  return { ...fake, ...instance, press, frame }
}

/**
 * renderApp in a terminal of `columns` × `rows` (ink-testing-library's is 100 columns with no rows):
 * the size is set and announced as a resize, so `frame` waits for a frame no larger than it.
 */
export const renderAppSized = (vm: ViewModel, size: { readonly columns: number; readonly rows: number }) => {
  const app = renderApp(vm)
  Object.defineProperty(app.stdout, "columns", { value: size.columns, configurable: true })
  Object.defineProperty(app.stdout, "rows", { value: size.rows, configurable: true })
  app.stdout.emit("resize")
  const fits = (frame: string) => {
    const lines = frame.split("\n")
    return lines.length <= size.rows && lines.every((line) => line.length <= size.columns)
  }
  const frame = (check: (frame: string) => boolean) => waitForFrame(app.lastFrame, (f) => fits(f) && check(f))
  return { ...app, frame }
}

export const keys = {
  enter: "\r",
  esc: "\u001b",
  up: "\u001b[A",
  down: "\u001b[B",
  pageUp: "\u001b[5~",
  pageDown: "\u001b[6~",
  backspace: "\u007f"
}

export const vmWith = (patch: Partial<ViewModel>): ViewModel => ({ ...emptyViewModel(2000, ["In Progress", "Todo", "Backlog"]), ...patch })

export const focusedSession = (patch: Partial<FocusedSession> = {}): FocusedSession => ({
  sessionId: "s1",
  workItemId: "wi-1",
  label: "LOC-1",
  state: "Running",
  workflowState: "Planning",
  turnActive: false,
  blocks: [],
  pending: [],
  side: emptySidePanel,
  ...patch
})
