import { Option, ParseResult, SchemaAST } from "effect"

/** The first concrete problem in a decode failure: where, what was expected, what was found. */
export interface IssueSummary {
  readonly path: ReadonlyArray<string>
  readonly expected: string
  readonly found: string
}

const unique = (texts: ReadonlyArray<string>): ReadonlyArray<string> => [...new Set(texts)]

/**
 * What a schema accepts, in words: its description when it has one, otherwise from its shape
 * (a file holds the encoded side, so a transformation is described by what it decodes from).
 */
const describeAst = (ast: SchemaAST.AST): string =>
  Option.getOrElse(SchemaAST.getDescriptionAnnotation(ast), () => {
    switch (ast._tag) {
      case "TypeLiteral":
        return "a table"
      case "TupleType":
        return "a list"
      case "StringKeyword":
      case "TemplateLiteral":
        return "a string"
      case "NumberKeyword":
        return "a number"
      case "BigIntKeyword":
        return "an integer"
      case "BooleanKeyword":
        return "true or false"
      case "Literal":
        return ast.literal === null ? "nothing" : JSON.stringify(ast.literal)
      case "Enums":
        return `one of ${ast.enums.map(([, value]) => JSON.stringify(value)).join(", ")}`
      case "Union": {
        const literals = ast.types.flatMap((member) => (member._tag === "Literal" && member.literal !== null ? [String(member.literal)] : []))
        return literals.length === ast.types.length ? `one of ${literals.join(", ")}` : unique(ast.types.map(describeAst)).join(" or ")
      }
      case "Refinement":
      case "Transformation":
        return describeAst(ast.from)
      case "Suspend":
        return describeAst(ast.f())
      default:
        return "a value of another kind"
    }
  })

/** The value as the person wrote it: "the integer 5", "a table with keys …". */
export const describeValue = (value: unknown): string => {
  if (value === undefined) return "nothing"
  if (typeof value === "string") return `${JSON.stringify(value)} (a string)`
  if (typeof value === "number") return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`
  if (typeof value === "bigint") return `the integer ${value}`
  if (typeof value === "boolean") return `the boolean ${value}`
  if (Array.isArray(value)) return "a list"
  if (value instanceof Date) return "a date"
  return typeof value === "object" && value !== null ? `a table with keys ${Object.keys(value).join(", ") || "(none)"}` : String(value)
}

const toPath = (path: ParseResult.Pointer["path"]): ReadonlyArray<string> =>
  Array.isArray(path) ? path.map(String) : [String(path)]

/**
 * Walks to the first leaf issue. The expected text is the description of the outermost schema
 * met after the last key, so a key's own annotation wins over the inner primitive's.
 */
export const summarizeIssue = (issue: ParseResult.ParseIssue): IssueSummary => {
  const walk = (current: ParseResult.ParseIssue, path: ReadonlyArray<string>, keyAst: SchemaAST.AST | undefined): IssueSummary => {
    const expectedFrom = (ast: SchemaAST.AST) => describeAst(keyAst ?? ast)
    switch (current._tag) {
      case "Pointer":
        return walk(current.issue, [...path, ...toPath(current.path)], undefined)
      case "Composite": {
        const first = Array.isArray(current.issues) ? current.issues[0] : current.issues
        return first === undefined
          ? { path, expected: expectedFrom(current.ast), found: describeValue(current.actual) }
          : walk(first, path, keyAst ?? current.ast)
      }
      case "Refinement":
        return current.kind === "Predicate"
          ? { path, expected: expectedFrom(current.ast), found: describeValue(current.actual) }
          : walk(current.issue, path, keyAst ?? current.ast)
      case "Transformation":
        return walk(current.issue, path, keyAst ?? current.ast)
      case "Type":
      case "Forbidden":
        return { path, expected: expectedFrom(current.ast), found: describeValue(current.actual) }
      case "Missing":
        return { path, expected: keyAst === undefined ? "a value" : describeAst(keyAst), found: "nothing" }
      case "Unexpected":
        return { path, expected: "no such key", found: describeValue(current.actual) }
    }
  }
  return walk(issue, [], undefined)
}
