/**
 * The court, painted on every display frame without React or Ink (see court-painter.ts). The
 * game view tells it where the court sits and how it is decorated (title, overlay, flash) each
 * time it renders; the layer follows the view source for the moving parts and paints the rows
 * that changed. When Ink writes a frame of its own (which blanks the court's placeholder), the
 * terminal stream asks for the whole court again, appended to that same synchronized update.
 */
import type { ViewSource } from '../client/view-state.js';
import { renderCourtRuns, withTitle, type CourtGeometry, type Run } from './court.js';
import { CourtPainter, paintRow, type PaintStyle } from './court-painter.js';

export interface CourtPlacement extends PaintStyle {
  /** Screen position of the court's top-left corner (its top wall), 0-based. */
  row: number;
  col: number;
  cols: number;
  rows: number;
  court: CourtGeometry;
  title: string;
  overlay: readonly string[];
}

export interface OverlayOutput {
  /** Writes escape sequences over the current frame (cursor saved and restored around them). */
  writeOverlay(text: string): void;
}

function sameDecor(a: CourtPlacement | null, b: CourtPlacement | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.row === b.row &&
    a.col === b.col &&
    a.cols === b.cols &&
    a.rows === b.rows &&
    a.court === b.court &&
    a.title === b.title &&
    a.flash === b.flash &&
    a.flashColour === b.flashColour &&
    a.palette === b.palette &&
    a.overlay.join('\n') === b.overlay.join('\n')
  );
}

export class CourtLayer {
  private readonly painter = new CourtPainter();
  private placement: CourtPlacement | null = null;
  private output: OverlayOutput | null = null;
  private unsubscribe: (() => void) | null = null;
  private repaintQueued = false;

  constructor(private readonly source: ViewSource) {}

  /** Starts painting on `output`, following the source. */
  attach(output: OverlayOutput): void {
    this.output = output;
    this.unsubscribe ??= this.source.subscribe(() => this.paintChanges());
  }

  detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.output = null;
  }

  /** Where and how to draw the court; null hides it (the terminal is too small). */
  place(placement: CourtPlacement | null): void {
    if (sameDecor(this.placement, placement)) return;
    this.placement = placement;
    this.painter.reset();
    // After the render that moved it has been written by Ink (a microtask later).
    if (!this.repaintQueued) {
      this.repaintQueued = true;
      queueMicrotask(() => {
        this.repaintQueued = false;
        this.paintChanges();
      });
    }
  }

  /** The whole court, for appending to a frame Ink has just written over it. */
  fullPaint(): string {
    this.painter.reset();
    return this.paint();
  }

  private paintChanges(): void {
    const text = this.paint();
    if (text !== '') this.output?.writeOverlay(text);
  }

  private paint(): string {
    const p = this.placement;
    if (p === null) return '';
    const view = this.source.getState();
    const ball = view.ball !== null ? { x: view.ball.x, y: view.ball.y } : null;
    const lines: Run[][] = renderCourtRuns(ball, view.paddles, p.cols, p.rows, p.court, { flash: p.flash, overlay: p.overlay });
    const top = lines[0]?.[0];
    if (top) lines[0] = [{ kind: 'wall', text: withTitle(top.text, p.title) }];
    return this.painter.paint(
      lines.map((runs) => paintRow(runs, p)),
      p.row,
      p.col,
    );
  }
}
