/**
 * A line of typed text and its cursor, edited by whole graphemes (an emoji, a CJK character, a
 * letter with its combining marks moves and deletes as one). The cursor is a UTF-16 offset that
 * always sits on a grapheme boundary.
 */
export interface EditText {
  readonly text: string
  readonly cursor: number
}

export const emptyEdit: EditText = { text: "", cursor: 0 }

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" })

/** The text's graphemes, in order. */
export const graphemes = (text: string): ReadonlyArray<string> => Array.from(segmenter.segment(text), (s) => s.segment)

// Controls other than the newline are never typed into the text (an escape would act on the terminal).
const control = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/

/** A single grapheme a person typed or pasted, as opposed to a named key such as `enter` or `left`. */
export const isTypedText = (token: string): boolean => {
  if (token === "" || control.test(token)) return false
  const first = segmenter.segment(token)[Symbol.iterator]().next()
  return !first.done && first.value.segment === token
}

const boundaryBefore = (text: string, cursor: number): number => {
  let previous = 0
  for (const { index } of segmenter.segment(text)) {
    if (index >= cursor) return previous
    previous = index
  }
  return previous
}

const boundaryAfter = (text: string, cursor: number): number => {
  for (const { index, segment } of segmenter.segment(text)) if (index + segment.length > cursor) return index + segment.length
  return text.length
}

export const insert = (edit: EditText, typed: string): EditText => ({
  text: edit.text.slice(0, edit.cursor) + typed + edit.text.slice(edit.cursor),
  cursor: edit.cursor + typed.length
})

export const deleteBack = (edit: EditText): EditText => {
  if (edit.cursor === 0) return edit
  const from = boundaryBefore(edit.text, edit.cursor)
  return { text: edit.text.slice(0, from) + edit.text.slice(edit.cursor), cursor: from }
}

export const moveLeft = (edit: EditText): EditText => ({ ...edit, cursor: boundaryBefore(edit.text, edit.cursor) })
export const moveRight = (edit: EditText): EditText => ({ ...edit, cursor: boundaryAfter(edit.text, edit.cursor) })

/** Start and end of the line the cursor is on (the text may hold pasted newlines). */
export const moveHome = (edit: EditText): EditText => ({ ...edit, cursor: edit.text.lastIndexOf("\n", edit.cursor - 1) + 1 })
export const moveEnd = (edit: EditText): EditText => {
  const end = edit.text.indexOf("\n", edit.cursor)
  return { ...edit, cursor: end === -1 ? edit.text.length : end }
}

const wordStart = (text: string, cursor: number): number => {
  let at = cursor
  while (at > 0 && /\s/.test(text[at - 1] ?? "")) at--
  while (at > 0 && !/\s/.test(text[at - 1] ?? "")) at--
  return at
}

/** Deletes the word before the cursor and the spaces after it (Ctrl+W, Alt+Backspace). */
export const deleteWordBack = (edit: EditText): EditText => {
  const from = wordStart(edit.text, edit.cursor)
  return { text: edit.text.slice(0, from) + edit.text.slice(edit.cursor), cursor: from }
}

export const moveWordLeft = (edit: EditText): EditText => ({ ...edit, cursor: wordStart(edit.text, edit.cursor) })

/** Deletes from the start of the line to the cursor (Ctrl+U). */
export const deleteToLineStart = (edit: EditText): EditText => {
  const from = moveHome(edit).cursor
  return { text: edit.text.slice(0, from) + edit.text.slice(edit.cursor), cursor: from }
}

export const editOf = (text: string): EditText => ({ text, cursor: text.length })

/** One editing key; null when the token does not edit text. */
export const editKey = (edit: EditText, token: string): EditText | null => {
  switch (token) {
    case "backspace":
      return deleteBack(edit)
    case "left":
      return moveLeft(edit)
    case "right":
      return moveRight(edit)
    case "home":
    case "ctrl+a":
      return moveHome(edit)
    case "end":
    case "ctrl+e":
      return moveEnd(edit)
    case "ctrl+w":
    case "meta+backspace":
      return deleteWordBack(edit)
    case "meta+b":
      return moveWordLeft(edit)
    case "ctrl+u":
      return deleteToLineStart(edit)
    case "newline":
      return insert(edit, "\n")
    default:
      return isTypedText(token) ? insert(edit, token) : null
  }
}
