/**
 * Branch and worktree names built from ticket data, which is hostile input: only ASCII letters,
 * digits and `-` survive, lengths are bounded, and nothing can form `..`, a leading `-` or a
 * shell metacharacter. Pure, so every caller gets the same names.
 */

export const MAX_KEY_LENGTH = 24
export const MAX_SLUG_LENGTH = 48

const asciiWords = (text: string, keep: RegExp): string =>
  text
    .normalize("NFKD")
    // Combining marks left by NFKD: "é" becomes "e".
    .replace(/[\u0300-\u036f]/g, "")
    .replace(keep, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "")

const bound = (text: string, max: number): string => text.slice(0, max).replace(/-+$/, "")

/** `ENG-42` stays `ENG-42`; anything else is reduced to letters, digits and dashes. */
export const sanitizeKey = (identifier: string): string => {
  const key = bound(asciiWords(identifier, /[^A-Za-z0-9]+/g), MAX_KEY_LENGTH)
  return key === "" ? "ticket" : key
}

/** Lower-case words of the title joined by dashes. */
export const slugify = (title: string): string => {
  const slug = bound(asciiWords(title.toLowerCase(), /[^a-z0-9]+/g), MAX_SLUG_LENGTH)
  return slug === "" ? "work" : slug
}

/** The configured prefix is validated already; dots are dropped too so no `..` can form. */
export const sanitizePrefix = (prefix: string): string => {
  const clean = asciiWords(prefix, /[^A-Za-z0-9_]+/g)
  return clean === "" ? "orchestrator" : clean
}

/** `<KEY>-<slug>`: the branch leaf and the worktree directory name. */
export const worktreeLeaf = (identifier: string, title: string): string => `${sanitizeKey(identifier)}-${slugify(title)}`

/** `<prefix>/<KEY>-<slug>`. */
export const branchName = (prefix: string, identifier: string, title: string): string =>
  `${sanitizePrefix(prefix)}/${worktreeLeaf(identifier, title)}`

/** Every branch of this ticket starts so, whatever its title became: how a worktree is found again. */
export const branchStem = (prefix: string, identifier: string): string => `${sanitizePrefix(prefix)}/${sanitizeKey(identifier)}-`

/** A directory name for a repository under the worktrees root. */
export const repoDirName = (repoPath: string): string => {
  const base = repoPath.replace(/\/+$/, "").split("/").pop() ?? ""
  const clean = bound(asciiWords(base, /[^A-Za-z0-9_]+/g), MAX_SLUG_LENGTH)
  return clean === "" ? "repo" : clean
}
