import { Schema } from "effect"

/**
 * Atlassian Document Format, as far as plain text needs it: Jira Cloud REST v3 takes and gives
 * descriptions and comments as ADF documents. Text goes in one paragraph per line and comes back
 * with one line per block; marks and layout are dropped.
 */

export interface AdfNode {
  readonly type: string
  readonly text?: string | undefined
  readonly attrs?: unknown
  readonly content?: ReadonlyArray<AdfNode> | undefined
}

export const AdfNode: Schema.Schema<AdfNode> = Schema.Struct({
  type: Schema.String,
  text: Schema.optional(Schema.String),
  attrs: Schema.optional(Schema.Unknown),
  content: Schema.optional(Schema.Array(Schema.suspend((): Schema.Schema<AdfNode> => AdfNode)))
})

export const toAdf = (text: string): AdfNode => ({
  type: "doc",
  attrs: undefined,
  content: text.split("\n").map((line) => ({ type: "paragraph", content: line === "" ? [] : [{ type: "text", text: line }] }))
})

/** Nodes whose children are inline text: each becomes one line. */
const inlineHolders = new Set(["paragraph", "heading", "codeBlock"])

const inlineText = (node: AdfNode): string => {
  if (node.type === "text") return node.text ?? ""
  if (node.type === "hardBreak") return "\n"
  if (node.type === "mention" || node.type === "emoji") {
    const attrs = node.attrs
    const text = typeof attrs === "object" && attrs !== null ? Reflect.get(attrs, "text") : undefined
    return typeof text === "string" ? text : ""
  }
  return (node.content ?? []).map(inlineText).join("")
}

const lines = (node: AdfNode): ReadonlyArray<string> => {
  if (inlineHolders.has(node.type)) return [inlineText(node)]
  if (node.type === "text" || node.type === "hardBreak") return [inlineText(node)]
  if (node.type === "listItem") return (node.content ?? []).flatMap(lines).map((line, i) => (i === 0 ? `- ${line}` : `  ${line}`))
  return (node.content ?? []).flatMap(lines)
}

export const fromAdf = (doc: AdfNode | null): string => (doc === null ? "" : lines(doc).join("\n"))
