/** Parsers for git's machine-readable (porcelain) output. Pure. */

export interface ListedWorktree {
  readonly path: string
  /** `refs/heads/...`, absent when detached. */
  readonly branch: string | undefined
  readonly head: string | undefined
}

/** `git worktree list --porcelain -z`: attribute lines separated by NUL, records by an empty one. */
export const parseWorktreeList = (output: string): ReadonlyArray<ListedWorktree> => {
  const records: Array<ListedWorktree> = []
  let current: { path?: string; branch?: string; head?: string } = {}
  const flush = () => {
    if (current.path !== undefined) records.push({ path: current.path, branch: current.branch, head: current.head })
    current = {}
  }
  for (const line of output.split("\0")) {
    if (line === "") flush()
    else if (line.startsWith("worktree ")) current.path = line.slice("worktree ".length)
    else if (line.startsWith("branch ")) current.branch = line.slice("branch ".length)
    else if (line.startsWith("HEAD ")) current.head = line.slice("HEAD ".length)
  }
  flush()
  return records
}

export interface ParsedStatus {
  readonly headSha: string
  readonly branch: string
  readonly upstream: string | undefined
  readonly ahead: number
  readonly behind: number
  readonly dirtyFiles: ReadonlyArray<string>
}

/** The rest of `line` after `fields` space-separated fields: paths may contain spaces. */
const afterFields = (line: string, fields: number): string => {
  let index = 0
  for (let i = 0; i < fields; i++) index = line.indexOf(" ", index) + 1
  return line.slice(index)
}

/** `git status --porcelain=v2 --branch -z --untracked-files=all`. */
export const parseStatus = (output: string): ParsedStatus => {
  let headSha = ""
  let branch = ""
  let upstream: string | undefined
  let ahead = 0
  let behind = 0
  const dirtyFiles: Array<string> = []
  const entries = output.split("\0")
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] ?? ""
    if (entry.startsWith("# branch.oid ")) headSha = entry.slice("# branch.oid ".length)
    else if (entry.startsWith("# branch.head ")) branch = entry.slice("# branch.head ".length)
    else if (entry.startsWith("# branch.upstream ")) upstream = entry.slice("# branch.upstream ".length)
    else if (entry.startsWith("# branch.ab ")) {
      const match = /^# branch\.ab \+(\d+) -(\d+)$/.exec(entry)
      ahead = Number(match?.[1] ?? 0)
      behind = Number(match?.[2] ?? 0)
    } else if (entry.startsWith("1 ")) dirtyFiles.push(afterFields(entry, 8))
    else if (entry.startsWith("2 ")) {
      dirtyFiles.push(afterFields(entry, 9))
      i++ // a rename's original path follows as its own entry
    } else if (entry.startsWith("u ")) dirtyFiles.push(afterFields(entry, 10))
    else if (entry.startsWith("? ")) dirtyFiles.push(entry.slice(2))
  }
  return { headSha, branch, upstream, ahead, behind, dirtyFiles }
}
