// The registry this project is built against lacks some other-platform builds of optional packages
// (opencode-darwin-arm64, @rollup/rollup-android-arm64, ...), so `npm install` leaves them out of
// package-lock.json and `npm ci` then refuses the lock as out of sync. This adds an entry for every
// optional dependency the lock names but lacks, marked with its os/cpu so npm ci skips it.
// Run it after any `npm install` that rewrites the lock: `node scripts/fix-lock.mjs`.
import { readFileSync, writeFileSync } from "node:fs"

const file = new URL("../package-lock.json", import.meta.url)
const lock = JSON.parse(readFileSync(file, "utf8"))
const packages = lock.packages

const platform = (name) => {
  const base = name.split("/").pop()
  const os = [["darwin", "darwin"], ["linux", "linux"], ["win32", "win32"], ["windows", "win32"], ["android", "android"], ["freebsd", "freebsd"], ["openbsd", "openbsd"], ["openharmony", "openharmony"]].find(([key]) => base.includes(key))?.[1]
  const cpu = ["arm64", "x64", "ia32", "loong64", "ppc64", "riscv64", "s390x", "arm"].find((key) => base.includes(key))
  const libc = base.includes("musl") ? "musl" : os === "linux" ? "glibc" : undefined
  return { os, cpu, libc }
}

let added = 0
for (const [path, entry] of Object.entries({ ...packages })) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`
    if (packages[key] !== undefined || packages[`${path}/${key}`] !== undefined) continue
    const { os, cpu, libc } = platform(name)
    if (os === undefined || cpu === undefined) continue
    packages[key] = {
      version: range.replace(/^[\^~=]/, ""),
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      cpu: [cpu],
      os: [os],
      ...(libc ? { libc: [libc] } : {})
    }
    added++
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)))
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`)
console.log(`fix-lock: added ${added} other-platform optional entries`)
