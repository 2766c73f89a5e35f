import { Text as InkText, type TextProps } from "ink"
import { Children, type ReactNode } from "react"
import { terminalLine } from "../../domain/terminalText.js"

const safe = (node: ReactNode): ReactNode => (typeof node === "string" ? terminalLine(node) : node)

/**
 * Ink's Text with every string child made one safe line: titles, transcripts and answers come from
 * trackers, agents and models, and an escape sequence or a \r in them would act on the terminal or
 * break the frame. The screen shows text only through this (a test keeps Ink's Text out of src/ui).
 */
export const Text = ({ children, ...props }: TextProps) => <InkText {...props}>{Children.map(children, safe)}</InkText>
