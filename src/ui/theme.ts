export type ThemeName = "nord" | "default"

/** Semantic colour tokens; components name a role, never a colour. An empty token means no colour. */
export interface Theme {
  readonly text: { readonly primary: string; readonly secondary: string; readonly accent: string }
  readonly status: { readonly success: string; readonly warning: string; readonly error: string; readonly active: string }
  readonly border: { readonly default: string; readonly focused: string }
  readonly transcript: { readonly user: string; readonly reasoning: string; readonly command: string; readonly file: string }
}

const nord: Theme = {
  text: { primary: "#D8DEE9", secondary: "#4C566A", accent: "#88C0D0" },
  status: { success: "#A3BE8C", warning: "#EBCB8B", error: "#BF616A", active: "#8FBCBB" },
  border: { default: "#434C5E", focused: "#81A1C1" },
  transcript: { user: "#B48EAD", reasoning: "#616E88", command: "#EBCB8B", file: "#A3BE8C" }
}

const basic: Theme = {
  text: { primary: "white", secondary: "gray", accent: "cyan" },
  status: { success: "green", warning: "yellow", error: "red", active: "cyan" },
  border: { default: "gray", focused: "blue" },
  transcript: { user: "magenta", reasoning: "gray", command: "yellow", file: "green" }
}

/** Every token empty: Ink then writes no colour codes at all. */
const colourless: Theme = {
  text: { primary: "", secondary: "", accent: "" },
  status: { success: "", warning: "", error: "", active: "" },
  border: { default: "", focused: "" },
  transcript: { user: "", reasoning: "", command: "", file: "" }
}

/** `NO_COLOR` set to anything non-empty wins over the configured theme (no-color.org). */
export const resolveTheme = (name: ThemeName, env: Readonly<Record<string, string | undefined>>): Theme => {
  const noColor = env["NO_COLOR"]
  if (noColor !== undefined && noColor !== "") return colourless
  return name === "nord" ? nord : basic
}
