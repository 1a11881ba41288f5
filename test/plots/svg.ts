/**
 * Reading a plot as a person would, from the SVG Vega wrote: the words on it (titles, axis
 * titles, legend labels, headers) and its marks, each with the aria-label Vega gives it
 * (the fields it stands for) and its colour.
 */

export interface Mark {
  /** What Vega says the mark stands for, e.g. "time (s): 0.5; one-way (ms): 1.2; transport: MQTT". */
  label: string;
  stroke: string | null;
  fill: string | null;
}

const ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

function unescape(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

/** Every piece of text drawn, in document order; a multi-line text gives a piece per line. */
export function texts(svg: string): string[] {
  const out: string[] = [];
  for (const match of svg.matchAll(/<text[^>]*>(.*?)<\/text>/gs)) {
    const body = match[1]!;
    const lines = [...body.matchAll(/<tspan[^>]*>(.*?)<\/tspan>/gs)].map((m) => m[1]!);
    out.push(...(lines.length > 0 ? lines : [body]).map(unescape));
  }
  return out;
}

/** The marks Vega calls `role` (e.g. 'line mark', 'rule mark', 'symbol mark'). */
export function marks(svg: string, role: string): Mark[] {
  const out: Mark[] = [];
  for (const match of svg.matchAll(/<(path|line|rect|text)\b([^>]*)>/g)) {
    const attributes = match[2]!;
    if (!attributes.includes(`aria-roledescription="${role}"`)) continue;
    const attribute = (name: string) => attributes.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1] ?? null;
    out.push({ label: unescape(attribute('aria-label') ?? ''), stroke: attribute('stroke'), fill: attribute('fill') });
  }
  return out;
}

/** The value a mark's label gives a field, e.g. fieldOf(mark, 'transport') → 'MQTT'. */
export function fieldOf(mark: Mark, field: string): string | undefined {
  for (const part of mark.label.split('; ')) {
    const at = part.lastIndexOf(': ');
    if (at !== -1 && part.slice(0, at) === field) return part.slice(at + 2);
  }
  return undefined;
}
