/**
 * The court on a canvas: walls, centre line, paddles, ball, the score above, and the text
 * over the court (countdown, pause, result). Drawn in court units scaled to the canvas, at the
 * device's pixel ratio, so it is sharp on a phone and large on a projector. A draw is a few
 * rectangles and a little text: well under a millisecond of the frame.
 */
import type { PlayerNumber } from '../../protocol/messages.js';
import { COURT_HEIGHT, COURT_WIDTH, PADDLE_HEIGHT, PADDLE_INSET, PADDLE_WIDTH, BALL_RADIUS } from '../../protocol/constants.js';
import type { ClientViewState } from '../../client/view-state.js';

/** Court units above the court for the score. */
const SCORE_BAND = 2.6;
const MARGIN = 0.4;
export const COURT_ASPECT = (COURT_WIDTH + 2 * MARGIN) / (COURT_HEIGHT + SCORE_BAND + 2 * MARGIN);

export interface CourtColours {
  bg: string;
  line: string;
  text: string;
  muted: string;
  p1: string;
  p2: string;
  ball: string;
  accent: string;
}

export function coloursFrom(element: Element): CourtColours {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  return {
    bg: read('--bg', '#0b0d10'),
    line: read('--line', '#3a4250'),
    text: read('--text', '#f2f4f7'),
    muted: read('--muted', '#aab3c0'),
    p1: read('--p1', '#56b4e9'),
    p2: read('--p2', '#e69f00'),
    ball: read('--ball', '#ffffff'),
    accent: read('--accent', '#f0e442'),
  };
}

export interface CourtScene {
  view: ClientViewState;
  /** The player this page steers, drawn outlined. */
  me: PlayerNumber | null;
  /** Lines over the court (countdown, pause, result); none for a plain rally. */
  overlay: readonly string[] | null;
  /** A point was just scored: the walls light up (not with reduced motion). */
  flash: boolean;
}

export class CourtCanvas {
  private readonly context: CanvasRenderingContext2D;
  private scale = 1;
  private cssWidth = 0;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly colours: CourtColours,
  ) {
    const context = canvas.getContext('2d', { alpha: false });
    if (context === null) throw new Error('this browser gives no 2D canvas');
    this.context = context;
  }

  /** Fits the drawing buffer to the canvas's CSS width; true when it changed. */
  fit(): boolean {
    const width = this.canvas.clientWidth;
    if (width === this.cssWidth || width === 0) return false;
    this.cssWidth = width;
    const ratio = window.devicePixelRatio || 1;
    const height = width / COURT_ASPECT;
    this.canvas.style.height = `${height}px`;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    this.scale = (width * ratio) / (COURT_WIDTH + 2 * MARGIN);
    return true;
  }

  /** Court y (0 at the top wall) of a point on the canvas in CSS pixels, for touch. */
  courtY(cssY: number): number {
    const ratio = window.devicePixelRatio || 1;
    return (cssY * ratio) / this.scale - MARGIN - SCORE_BAND;
  }

  /** Court x of a point on the canvas in CSS pixels. */
  courtX(cssX: number): number {
    const ratio = window.devicePixelRatio || 1;
    return (cssX * ratio) / this.scale - MARGIN;
  }

  draw(scene: CourtScene): void {
    const c = this.context;
    const s = this.scale;
    const { colours } = this;
    const { view } = scene;
    c.setTransform(1, 0, 0, 1, 0, 0);
    c.fillStyle = colours.bg;
    c.fillRect(0, 0, this.canvas.width, this.canvas.height);
    // Court units from here on, origin at the court's top-left corner.
    c.setTransform(s, 0, 0, s, MARGIN * s, (MARGIN + SCORE_BAND) * s);

    const state = view.state;
    c.textAlign = 'center';
    c.textBaseline = 'alphabetic';
    c.font = `600 2.1px ui-monospace, 'DejaVu Sans Mono', monospace`;
    c.fillStyle = colours.p1;
    c.fillText(String(state?.p1Score ?? 0), COURT_WIDTH / 2 - 4, -0.5);
    c.fillStyle = colours.p2;
    c.fillText(String(state?.p2Score ?? 0), COURT_WIDTH / 2 + 4, -0.5);
    c.font = `0.9px system-ui, sans-serif`;
    c.fillStyle = colours.muted;
    c.textAlign = 'left';
    c.fillText(scene.me === 1 ? 'P1 · you' : 'P1', 0, -0.7);
    c.textAlign = 'right';
    c.fillText(scene.me === 2 ? 'you · P2' : 'P2', COURT_WIDTH, -0.7);

    // Walls and centre line.
    const wall = 0.18;
    c.fillStyle = scene.flash ? colours.accent : colours.line;
    c.fillRect(0, -wall, COURT_WIDTH, wall);
    c.fillRect(0, COURT_HEIGHT, COURT_WIDTH, wall);
    c.fillStyle = colours.line;
    for (let y = 0.25; y < COURT_HEIGHT; y += 1) c.fillRect(COURT_WIDTH / 2 - 0.06, y, 0.12, 0.5);

    this.paddle(1, view.paddles.p1, colours.p1, scene.me === 1);
    this.paddle(2, view.paddles.p2, colours.p2, scene.me === 2);

    const ball = view.ball;
    if (ball !== null && state?.status !== 'ended') {
      c.fillStyle = colours.ball;
      c.beginPath();
      c.arc(ball.x, ball.y, BALL_RADIUS * 1.4, 0, Math.PI * 2);
      c.fill();
    }

    if (scene.overlay !== null && scene.overlay.length > 0) this.overlay(scene.overlay);
  }

  private paddle(player: PlayerNumber, top: number, colour: string, mine: boolean): void {
    const c = this.context;
    const x = player === 1 ? PADDLE_INSET : COURT_WIDTH - PADDLE_INSET - PADDLE_WIDTH;
    c.fillStyle = colour;
    c.fillRect(x, top, PADDLE_WIDTH, PADDLE_HEIGHT);
    if (mine) {
      c.strokeStyle = this.colours.text;
      c.lineWidth = 0.12;
      c.strokeRect(x - 0.06, top - 0.06, PADDLE_WIDTH + 0.12, PADDLE_HEIGHT + 0.12);
    }
  }

  private overlay(lines: readonly string[]): void {
    const c = this.context;
    const lineHeight = 1.3;
    const height = lines.length * lineHeight + 0.8;
    const top = COURT_HEIGHT / 2 - height / 2;
    c.fillStyle = 'rgba(11, 13, 16, 0.82)';
    c.fillRect(COURT_WIDTH / 2 - 13, top, 26, height);
    c.textAlign = 'center';
    c.textBaseline = 'middle';
    lines.forEach((line, i) => {
      c.font = i === 0 ? `600 1.05px system-ui, sans-serif` : `0.85px system-ui, sans-serif`;
      c.fillStyle = i === 0 ? this.colours.text : this.colours.muted;
      c.fillText(line, COURT_WIDTH / 2, top + 0.4 + lineHeight * (i + 0.5), 25);
    });
  }
}
