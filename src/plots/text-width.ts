/**
 * How wide a label is, for Vega's layout. In a browser Vega measures text on a canvas; in
 * Node, with no canvas, it guesses 0.8 em a character, which is a third too wide for ordinary
 * text: a long title then stretches the picture with empty space and legends sit far from
 * their plots. Vega takes a replacement for that guess (its `textMetrics.width`, what Vega's
 * own converters set), and this one uses Helvetica's advance widths, which Arial and Liberation
 * Sans, the fonts the plots name after it, share.
 */

/** Helvetica's advance widths, in thousandths of an em, for the characters 32 (space) to 126 (~). */
const REGULAR = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 to ?
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ to O
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P to _
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` to o
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p to ~
];

/** Bold Helvetica where it differs most: the lower case. */
const BOLD_LOWER = [
  333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // ` to o
  611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, // p to z
];

/** Characters past ASCII the plots use, and a default for the rest. */
const OTHERS: Readonly<Record<string, number>> = { '×': 584, '–': 556, '—': 1000, '·': 278, '…': 1000, 'µ': 556, '≤': 549, '±': 584 };
const DEFAULT_WIDTH = 556;

function advance(char: string, bold: boolean): number {
  const code = char.charCodeAt(0);
  if (bold && code >= 96 && code <= 122) return BOLD_LOWER[code - 96]!;
  if (code >= 32 && code <= 126) return REGULAR[code - 32]! * (bold ? 1.05 : 1);
  return OTHERS[char] ?? DEFAULT_WIDTH;
}

/** Width in pixels of `text` at `fontSize` px. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let units = 0;
  for (const char of text) units += advance(char, bold);
  return (units / 1000) * fontSize;
}

/** The fields of a Vega scene item that set a text's width. */
export interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
}

/** Vega's `textMetrics.width(item, text)`. */
export function itemTextWidth(item: TextItem, text: unknown): number {
  const value = text === null || text === undefined ? '' : String(text).trim();
  const weight = item.fontWeight;
  const bold = weight === 'bold' || (typeof weight === 'number' && weight >= 600);
  return textWidth(value, item.fontSize ?? 11, bold);
}
