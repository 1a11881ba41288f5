/**
 * The figures table of the compare screen as text: one header line, and per transport a line
 * of figures and a line of sparkline. Pure, so the wording and the widths are tested without a
 * terminal.
 */
import type { TransportFigures } from '../../compare/snapshot.js';
import { sparkline } from '../sparkline.js';
import { formatMs } from '../text.js';

interface Column {
  title: string;
  width: number;
  value: (t: TransportFigures) => string;
}

const ms = (value: number | null | undefined): string => formatMs(value ?? null);

/** Left-aligned name and status, then right-aligned numbers. */
const COLUMNS: readonly Column[] = [
  { title: 'transport', width: 10, value: (t) => t.name },
  { title: 'status', width: 11, value: (t) => statusWord(t) },
  { title: 'last', width: 6, value: (t) => ms(t.oneWay.last) },
  { title: 'p50', width: 6, value: (t) => ms(t.oneWay.p50) },
  { title: 'p95', width: 6, value: (t) => ms(t.oneWay.p95) },
  { title: 'p99', width: 6, value: (t) => ms(t.oneWay.p99) },
  { title: 'max', width: 6, value: (t) => ms(t.oneWay.max) },
  { title: 'jitter', width: 7, value: (t) => ms(t.jitter) },
  { title: 'frames', width: 7, value: (t) => String(t.frames) },
  { title: 'lost', width: 6, value: (t) => String(t.framesLost) },
  { title: 'B/frame', width: 8, value: (t) => (t.bytesPerFrame === null ? '–' : t.bytesPerFrame.toFixed(1)) },
  { title: 'rtt p50', width: 8, value: (t) => ms(t.rtt?.p50) },
  { title: 'rtt p99', width: 8, value: (t) => ms(t.rtt?.p99) },
];

const LEFT_ALIGNED = 2;

/** Width of the figures line, and so the narrowest the screen can be. */
export const TABLE_WIDTH = COLUMNS.reduce((sum, column) => sum + column.width, 0);
/** Where the sparkline starts: under the status column. */
export const SPARK_INDENT = COLUMNS[0]!.width;
/** Where the numbers start, after name and status. */
export const FIGURES_START = COLUMNS[0]!.width + COLUMNS[1]!.width;

function cell(text: string, column: Column, index: number): string {
  const cut = text.length > column.width - 1 ? text.slice(0, column.width - 1) : text;
  return index < LEFT_ALIGNED ? cut.padEnd(column.width) : cut.padStart(column.width);
}

export function headerLine(): string {
  return COLUMNS.map((column, i) => cell(column.title, column, i)).join('');
}

export function figuresLine(t: TransportFigures): string {
  return COLUMNS.map((column, i) => cell(column.value(t), column, i)).join('');
}

/** The status column: connected, but not yet measured by the server, is only 'syncing'. */
export function statusWord(t: TransportFigures): string {
  switch (t.status) {
    case 'connected':
      return t.offsetKnown ? 'connected' : 'syncing…';
    case 'connecting':
      return 'connecting';
    case 'reconnecting':
      return 'reconnect…';
    case 'disconnected':
      return 'down';
    case 'closed':
      return 'closed';
    case 'failed':
      return 'failed';
  }
}

/** Recent one-way latency with its range, or why there is none yet, in `width` characters. */
export function sparkLine(t: TransportFigures, width: number): string {
  const room = Math.max(0, width - SPARK_INDENT);
  let body: string;
  if (t.status === 'failed') body = t.detail ?? 'could not connect';
  else if (t.recent.length === 0) body = t.offsetKnown ? 'waiting for the same frames on every transport…' : 'waiting for the server to measure this client…';
  else {
    const low = Math.min(...t.recent);
    const high = Math.max(...t.recent);
    const range = ` ${ms(low)}–${ms(high)} ms`;
    body = sparkline(t.recent, Math.max(1, room - range.length)) + range;
  }
  return ' '.repeat(SPARK_INDENT) + body.slice(0, room);
}
