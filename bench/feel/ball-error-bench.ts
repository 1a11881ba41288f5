/**
 * How far the ball on screen is from where the server has it, with and without interpolation,
 * under 50 ms ± 20 ms of delay and jitter. A real `pong serve` (ws) and two bots playing long
 * rallies run as processes of their own, so nothing here stalls the server's loop; in this
 * process an undelayed watcher records the true trajectory (the server's frames, stamped with
 * its clock: the same machine's), and the measured watcher's incoming messages go through
 * delayIncoming. The measured session feeds two SmoothedSources at once, one raw and
 * one smoothing, so both see exactly the same arrivals.
 *
 * The screen is sampled every 4 ms (what is drawn at that instant: the last published state),
 * and compared with the truth two ways: at the same instant (the whole error a player sees,
 * latency included), and at the constant lag that fits best (the error in the shape of the
 * motion: judder, stalls and leaps, with the steady delay taken out). Samples within 300 ms
 * after a serve or a point (the ball teleports) are left out of both.
 */
import { GameSession } from '../../src/client/session.js';
import { SmoothedSource } from '../../src/client/smoothing/smoothed-source.js';
import { isJump } from '../../src/client/smoothing/sample.js';
import { timedFrame, type TimedFrame } from '../../src/client/smoothing/frames.js';
import { getTransport } from '../../src/transports/registry.js';
import type { TransportClient } from '../../src/transports/transport.js';
import type { ClientRole } from '../../src/client/view-state.js';
import { delayIncoming } from './delayed-transport.js';
import { startBot, startServe, stopAll } from './processes.js';
import { mean, percentile } from './stats.js';

export interface ErrorFigures {
  label: string;
  samples: number;
  meanNow: number;
  p95Now: number;
  maxNow: number;
  bestLagMs: number;
  meanShape: number;
  maxShape: number;
}

const TICK = 1000 / 60;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function session(url: string, game: string, role: ClientRole, id: string, wrap?: (c: TransportClient) => TransportClient): GameSession {
  const client = getTransport('ws').createClient({ serverUrl: url, brokerUrl: '', clientId: id, connectTimeoutMs: 5000 });
  return new GameSession({ gameId: game, role, transport: wrap ? wrap(client) : client, clientId: id });
}

/** The true position at server time t, from the recorded frames (null where unknown). */
function truthAt(frames: readonly TimedFrame[], t: number): { x: number; y: number } | null {
  let lo = 0;
  let hi = frames.length - 1;
  if (hi < 1 || t < frames[0]!.ts || t > frames[hi]!.ts) return null;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (frames[mid]!.ts <= t) lo = mid;
    else hi = mid;
  }
  const a = frames[lo]!;
  const b = frames[hi]!;
  const f = (t - a.ts) / (b.ts - a.ts || 1);
  return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f };
}

export async function ballErrorBench(seconds: number, delayMs = 50, jitterMs = 20): Promise<ErrorFigures[]> {
  const game = `feel-error-${process.pid}`;
  const url = await startServe(game, 'ws');
  startBot(game, url, 1, 0.97, 'ws');
  startBot(game, url, 2, 0.97, 'ws');
  const truthSession = session(url, game, { kind: 'spectator' }, 'truth');
  const measured = session(url, game, { kind: 'spectator' }, 'measured', (c) => delayIncoming(c, delayMs, jitterMs));
  const truth: TimedFrame[] = [];
  truthSession.subscribe(() => {
    const ball = truthSession.getState().ball;
    if (ball !== null && ball.seq !== truth.at(-1)?.seq) truth.push(timedFrame(ball, 0));
  });
  for (const s of [truthSession, measured]) await s.start();

  const views = { raw: new SmoothedSource(measured, measured, { raw: true }).start(), smooth: new SmoothedSource(measured, measured).start() };
  const screens: Record<keyof typeof views, Array<{ t: number; x: number; y: number }>> = { raw: [], smooth: [] };
  await sleep(3000);
  const clock = (): number => performance.timeOrigin + performance.now();
  const sampler = setInterval(() => {
    const t = clock();
    for (const key of ['raw', 'smooth'] as const) {
      const ball = views[key].getState().ball;
      if (ball !== null) screens[key].push({ t, x: ball.x, y: ball.y });
    }
  }, 4);
  await sleep(seconds * 1000);
  clearInterval(sampler);
  for (const view of Object.values(views)) view.stop();
  for (const s of [truthSession, measured]) await s.close().catch(() => {});
  await stopAll();

  truth.sort((a, b) => a.ts - b.ts);
  // Where the ball teleported (a point, a serve) or stood still: not motion to reproduce.
  const quiet: Array<[number, number]> = [];
  for (let i = 1; i < truth.length; i++) {
    const a = truth[i - 1]!;
    const b = truth[i]!;
    if (isJump(a, b, TICK) || (b.dx === 0 && b.dy === 0)) quiet.push([b.ts - 50, b.ts + 300]);
  }
  const inPlay = (t: number): boolean => !quiet.some(([from, to]) => t >= from && t <= to);

  const figures = (label: string, samples: Array<{ t: number; x: number; y: number }>): ErrorFigures => {
    const errorsAt = (lag: number): number[] => {
      const out: number[] = [];
      for (const s of samples) {
        if (!inPlay(s.t) || !inPlay(s.t - lag)) continue;
        const real = truthAt(truth, s.t - lag);
        if (real !== null) out.push(Math.hypot(s.x - real.x, s.y - real.y));
      }
      return out;
    };
    const now = errorsAt(0);
    let bestLag = 0;
    let best = Infinity;
    for (let lag = 0; lag <= 250; lag += 2) {
      const m = mean(errorsAt(lag));
      if (m < best) {
        best = m;
        bestLag = lag;
      }
    }
    const shape = errorsAt(bestLag);
    return {
      label,
      samples: now.length,
      meanNow: mean(now),
      p95Now: percentile(now, 95),
      maxNow: Math.max(...now),
      bestLagMs: bestLag,
      meanShape: mean(shape),
      maxShape: Math.max(...shape),
    };
  };
  return [figures('raw frames (--raw)', screens.raw), figures('interpolated (default)', screens.smooth)];
}
