// Text layout for the plan's renderers: lines fitted to a width and colour that only a terminal sees.
// Renderers write plain lines and wrap short, space-free tokens in tone(); fit() wraps every line to
// the width (counting only visible characters) and then either turns the tones into ANSI colours or
// drops them. So a line's width never depends on colour, and a pipe never receives an escape code.

export type Tone = "ok" | "bad" | "warn" | "dim" | "bold" | "allow" | "explicit";

export interface TextOptions {
  /** No line of the output is wider (a word longer than the width is cut). */
  width: number;
  /** ANSI colours: only when stdout is a terminal and NO_COLOR is unset (https://no-color.org). */
  color: boolean;
}

/** Width when stdout is not a terminal and --width is not given: readable in a CI log and a diff. */
export const PIPE_WIDTH = 100;
/** Narrower than this nothing useful fits (the verdict's words, a grid cell with its label). */
export const MIN_WIDTH = 40;

const OPEN = "\u0001";
const MID = "\u0003";
const CLOSE = "\u0002";
const TONE_RE = /\u0001(\w+)\u0003([^\u0002]*)\u0002/g;

const ANSI: Record<Tone, string> = { ok: "32", bad: "1;31", warn: "33", dim: "2", bold: "1", allow: "32", explicit: "36" };

/** Marks a token for colour (no spaces: lines break between words); invisible in the width and in uncoloured output. */
export function tone(t: Tone, s: string): string {
  return s === "" ? s : `${OPEN}${t}${MID}${s}${CLOSE}`;
}

/** The line as the reader sees it, without tones. */
export function plain(s: string): string {
  return s.replace(TONE_RE, "$2");
}

export function visibleLength(s: string): number {
  return [...plain(s)].length;
}

/** One line as lines no wider than `width`; continuation lines hang four columns under the first. */
export function wrapLine(line: string, width: number): string[] {
  if (visibleLength(line) <= width) return [line];
  const lead = /^ */.exec(plain(line))![0].length;
  const hang = " ".repeat(Math.min(lead + 4, Math.floor(width / 2)));
  // Words keep the spaces written between them, except where a line breaks.
  const parts = line.slice(lead).split(/( +)/);
  const out: string[] = [];
  let cur = " ".repeat(Math.min(lead, Math.floor(width / 2)));
  let empty = true;
  const flush = () => {
    out.push(cur.replace(/ +$/, ""));
    cur = hang;
    empty = true;
  };
  for (let i = 0; i < parts.length; i += 2) {
    const w = parts[i];
    if (w === "") continue;
    const gap = empty ? "" : parts[i - 1] ?? " ";
    if (visibleLength(cur) + gap.length + visibleLength(w) <= width) {
      cur += gap + w;
      empty = false;
      continue;
    }
    if (!empty) flush();
    if (visibleLength(cur) + visibleLength(w) <= width) {
      cur += w;
      empty = false;
      continue;
    }
    let rest = [...plain(w)];
    while (rest.length) {
      const room = width - visibleLength(cur);
      cur += rest.slice(0, room).join("");
      empty = false;
      rest = rest.slice(room);
      if (rest.length) flush();
    }
  }
  if (!empty) out.push(cur.replace(/ +$/, ""));
  return out;
}

/** Every line fitted to the width, tones turned into colour or dropped. */
export function fit(lines: string[], o: TextOptions): string[] {
  const width = Math.max(o.width, MIN_WIDTH);
  return lines.flatMap((l) => wrapLine(l, width)).map((l) => (o.color ? l.replace(TONE_RE, (_, t: Tone, s: string) => `\u001b[${ANSI[t]}m${s}\u001b[0m`) : plain(l)));
}

/** Pads to a visible width (tones do not count). */
export function pad(s: string, n: number): string {
  return s + " ".repeat(Math.max(0, n - visibleLength(s)));
}

/** Shortens to a visible width with an ellipsis (labels of a grid that must fit). */
export function clip(s: string, n: number): string {
  const p = plain(s);
  return [...p].length <= n ? s : [...p].slice(0, Math.max(0, n - 1)).join("") + "…";
}

/** Where stdout goes decides colour and width unless the caller says otherwise. */
export function textOptionsFor(tty: { isTTY?: boolean; columns?: number }, env: Record<string, string | undefined>, over: { width?: number; color?: boolean } = {}): TextOptions {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  return {
    width: over.width ?? (tty.isTTY && tty.columns ? tty.columns : PIPE_WIDTH),
    color: over.color === false ? false : !!tty.isTTY && !noColor,
  };
}
