import { Box, useApp, useInput, useStdout } from "ink"
import { Text } from "./components/Text.js"
import { useEffect, useRef, useState, useSyncExternalStore } from "react"
import { ConfirmDialog } from "./components/ConfirmDialog.js"
import { DiffOverlay } from "./components/DiffOverlay.js"
import { Footer } from "./components/Footer.js"
import { footerHints } from "./footerHints.js"
import { HelpOverlay } from "./components/HelpOverlay.js"
import { InboxLanes } from "./components/InboxLanes.js"
import { InputLine, inputHeight } from "./components/InputLine.js"
import { PendingPanel } from "./components/PendingPanel.js"
import { RepositoryPicker } from "./components/RepositoryPicker.js"
import { SessionList } from "./components/SessionList.js"
import { SIDE_PANEL_WIDTH, SidePanel } from "./components/SidePanel.js"
import { SupervisorChat } from "./components/SupervisorChat.js"
import { TicketPicker } from "./components/TicketPicker.js"
import { Transcript } from "./components/Transcript.js"
import { contextOf, handleKey } from "./keyHandler.js"
import { inboxLines, sessionListLines } from "./listRows.js"
import { splitHeight } from "./listWindow.js"
import { newAlerts, notificationSequence } from "./notifications.js"
import { pendingHeight, pendingLines } from "./pendingLines.js"
import { bindingsOf, keyToken, matchKeys, pastedTokens } from "./keymap.js"
import type { UiStore } from "../programs/view/uiStore.js"
import type { Theme } from "./theme.js"
import { initialUiState, orderedSessions, type UiState } from "./uiState.js"
import type { ViewModel } from "../programs/view/viewModel.js"

export interface AppProps {
  readonly store: UiStore
  readonly theme: Theme
  /** Writes a notification to the terminal; absent when `[ui] notifications = false`. */
  readonly notify?: ((sequence: string) => void) | undefined
}

/** Rings and notifies for inbox items that newly wait on the person; items there at start are not news. */
const useNotifications = (vm: ViewModel, notify: ((sequence: string) => void) | undefined) => {
  const seen = useRef<Set<string> | null>(null)
  useEffect(() => {
    if (seen.current === null) {
      seen.current = new Set(vm.inbox.map((item) => item.id))
      return
    }
    const fresh = newAlerts(seen.current, vm.inbox, vm.focused?.sessionId ?? null)
    // Only what is open now is remembered, so the set stays as small as the inbox.
    seen.current = new Set(vm.inbox.map((item) => item.id))
    if (notify !== undefined && fresh.length > 0) notify(notificationSequence(fresh.length === 1 ? (fresh[0]?.title ?? "") : `${fresh.length} items wait for you`))
  }, [vm.inbox, vm.focused?.sessionId, notify])
}

/** Terminals narrower than this get no side panel. */
const WIDE = 120

const useTerminalSize = () => {
  const { stdout } = useStdout()
  const [size, setSize] = useState({ columns: stdout.columns || 100, rows: stdout.rows || 30 })
  useEffect(() => {
    const onResize = () => setSize({ columns: stdout.columns || 100, rows: stdout.rows || 30 })
    stdout.on("resize", onResize)
    return () => void stdout.off("resize", onResize)
  }, [stdout])
  return size
}

const MainPane = ({
  vm,
  ui,
  theme,
  height,
  width
}: {
  readonly vm: ViewModel
  readonly ui: UiState
  readonly theme: Theme
  readonly height: number
  readonly width: number
}) => {
  const focused = vm.focused
  if (focused === null) {
    return (
      <Box flexDirection="column" flexGrow={1} paddingX={1}>
        <Text bold>No session focused.</Text>
        {vm.tickets.length === 0 ? (
          <>
            <Text>No tickets yet: run `orchestrator sync tickets` to fetch them from your tracker,</Text>
            <Text>or press s then n to add a local ticket.</Text>
          </>
        ) : (
          <Text>Press s to pick a ticket and start an agent on it{vm.sessions.length > 0 ? ", or j/k to focus a session" : ""}.</Text>
        )}
      </Box>
    )
  }
  const pending = focused.pending[0]
  // The question is wrapped to the panel's inner width (border and padding take 4 columns).
  const questionLines = pending === undefined ? [] : pendingLines(pending, Math.max(1, width - 4))
  const panelHeight = pending === undefined ? 0 : pendingHeight(questionLines, Math.max(3, height - 6))
  const transcriptHeight = Math.max(3, height - 2 - inputHeight(ui.inserting, ui.input, width, focused.turnActive) - panelHeight)
  return (
    <Box flexDirection="column" flexGrow={1} paddingX={1}>
      <Text bold color={theme.text.accent} wrap="truncate">
        {focused.label} · {focused.state}
        {focused.workflowState !== null ? ` · ${focused.workflowState}` : ""}
        {focused.turnActive ? " · working" : ""}
      </Text>
      <Transcript blocks={focused.blocks} expanded={ui.expanded} scrollBack={ui.scrollBack} height={transcriptHeight} limit={vm.transcriptLineLimit} width={width} theme={theme} />
      {pending !== undefined ? <PendingPanel lines={questionLines} height={panelHeight} theme={theme} /> : null}
      <InputLine inserting={ui.inserting} edit={ui.input} turnActive={focused.turnActive} width={width} theme={theme} />
    </Box>
  )
}

const OverlayPane = ({ vm, ui, theme, height }: { readonly vm: ViewModel; readonly ui: UiState; readonly theme: Theme; readonly height: number }) => {
  switch (ui.overlay) {
    case "picker":
      return (
        <TicketPicker
          tickets={vm.tickets}
          states={vm.pickerStates}
          filter={ui.filter}
          filtering={ui.filtering}
          selected={ui.pickerSelected}
          newTitle={ui.newTitle}
          height={Math.max(3, height - 6)}
          theme={theme}
        />
      )
    case "chat":
      return <SupervisorChat chat={vm.chat} input={ui.chatInput.text} height={Math.max(3, height - 7)} theme={theme} />
    case "diff":
      return vm.diff === null ? <Text>loading diff…</Text> : <DiffOverlay diff={vm.diff} scroll={ui.diffScroll} height={Math.max(3, height - 4)} theme={theme} />
    case "confirm":
      return <ConfirmDialog question={ui.confirm?.question ?? ""} theme={theme} />
    case "repository":
      return vm.repositoryChoice == null ? null : (
        <RepositoryPicker choice={vm.repositoryChoice} typed={ui.repoPath} selected={ui.repoSelected} height={Math.max(3, height - 8)} theme={theme} />
      )
    case "help":
      return <HelpOverlay bindings={bindingsOf("normal")} theme={theme} />
    case "none":
      return null
  }
}

/** The container: reads the store, keeps screen-local state, turns keys into state and actions. */
export const App = ({ store, theme, notify }: AppProps) => {
  const vm = useSyncExternalStore(store.subscribe, store.getSnapshot)
  useNotifications(vm, notify)
  const { exit } = useApp()
  const [ui, setUi] = useState(initialUiState)
  // Key handlers see the newest state even between renders (fast typing, pasted text).
  const uiRef = useRef(ui)
  const vmRef = useRef(vm)
  vmRef.current = vm
  const { columns, rows } = useTerminalSize()
  // PgUp/PgDn move a screenful of transcript (less a line, to keep context), however tall it is.
  const pageRef = useRef(0)
  pageRef.current = Math.max(1, rows - 3 - 2 - 3)

  useInput((input, key) => {
    // Pasted or fast-typed text can arrive as one chunk: feed it grapheme by grapheme.
    const tokens = key.ctrl || key.meta || input.length <= 1 || key.return ? [keyToken(input, key)] : pastedTokens(input)
    for (const token of tokens) {
      if (token === null) continue
      const outcome = handleKey(uiRef.current, token, vmRef.current, pageRef.current)
      uiRef.current = outcome.state
      if (outcome.run !== undefined) void outcome.run(store.actions)
      if (outcome.exit === true) {
        exit()
        return
      }
    }
    setUi(uiRef.current)
  })

  // A ticket waits for its repository: the chooser opens. Each ask reads the candidates anew, while
  // completions keep them, so typing in the chooser does not reopen it.
  const asked = vm.repositoryChoice?.candidates
  useEffect(() => {
    if (asked === undefined) return
    uiRef.current = { ...uiRef.current, overlay: "repository", repoPath: "", repoSelected: 0, inserting: false }
    setUi(uiRef.current)
  }, [asked])

  const bodyHeight = Math.max(8, rows - 3)
  const wide = columns >= WIDE
  const listWidth = Math.min(40, Math.floor(columns / 3))
  const sideWidth = wide && vm.focused !== null ? SIDE_PANEL_WIDTH : 0
  const context = contextOf(ui)
  const pending = ui.prefix.length > 0 ? matchKeys(context, ui.prefix.slice(0, -1), ui.prefix[ui.prefix.length - 1] ?? "") : null
  const selectedId = orderedSessions(vm.sessions)[ui.selected]?.sessionId ?? null
  // The left column inside its border: the inbox keeps up to a third of it, the sessions scroll in the rest.
  const [sessionsHeight, inboxHeight] = splitHeight(bodyHeight - 2, sessionListLines(vm.sessions, (vm.runners ?? []).length > 0), inboxLines(vm.inbox), 1 / 3, 3)
  return (
    <Box flexDirection="column" width={columns} height={rows}>
      {vm.harnessProblem !== null ? (
        <Text color={theme.status.error} wrap="truncate">
          {vm.harnessProblem}
        </Text>
      ) : null}
      <Box flexGrow={1} height={bodyHeight}>
        <Box flexDirection="column" flexShrink={0} width={listWidth} borderStyle="single" borderColor={theme.border.default} paddingX={1}>
          <SessionList
            sessions={vm.sessions}
            selectedId={selectedId}
            focusedId={vm.focused?.sessionId ?? null}
            height={sessionsHeight}
            theme={theme}
            {...(vm.runners === undefined ? {} : { runners: vm.runners })}
          />
          <InboxLanes inbox={vm.inbox} height={inboxHeight} theme={theme} />
        </Box>
        {ui.overlay === "none" ? (
          <>
            <MainPane vm={vm} ui={ui} theme={theme} height={bodyHeight - 2} width={Math.max(1, columns - listWidth - sideWidth - 2)} />
            {sideWidth > 0 && vm.focused !== null ? <SidePanel side={vm.focused.side} maxFiles={8} theme={theme} /> : null}
          </>
        ) : (
          <Box flexDirection="column" flexGrow={1}>
            <OverlayPane vm={vm} ui={ui} theme={theme} height={bodyHeight} />
          </Box>
        )}
      </Box>
      <Footer
        mode={context}
        hints={footerHints(context)}
        prefix={ui.prefix}
        continuations={pending?._tag === "Pending" ? pending.continuations : []}
        notice={ui.localNotice ?? vm.notice}
        width={columns}
        theme={theme}
      />
    </Box>
  )
}
