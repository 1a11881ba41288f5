/**
 * A stand-in for the classic pong-mqtt demo's server, to play pong's own clients against. It
 * behaves as that server was seen to (issue #20), not as pong's does:
 * - an mqtt.js client of a broker, its socket left as mqtt.js leaves it (Nagle on, so frames
 *   reach the broker in bunches);
 * - its loop is setInterval(1000 / 60), which runs at about 61.6 Hz, and publishes a ball frame
 *   every tick while the game is playing: {"x","y","dx","dy","timestamp"} with no seq, no
 *   paddles, floats as the arithmetic leaves them (19.099999999999998), the time from Date.now();
 * - it reads paddles as {"y"} on p1/paddle and p2/paddle, joins as {"player"} (no client id),
 *   serve and restart; it answers no join, sends no stats and reads no acks;
 * - state ({"status","p1Score","p2Score","servingPlayer","timestamp"}, QoS 0, not retained) goes
 *   out on a join, a serve, a point and the end;
 * - the player scored on serves; the game ends at <points>; then its loop stops, and a restart
 *   resets the score and says "playing" but never starts the loop again (its bug).
 *
 * Usage: node classic-server.mjs <brokerUrl> <gameId> <points>
 * Prints "classic server ready" once subscribed, and a line per point and at the end.
 */
import mqtt from 'mqtt';

const [brokerUrl, gameId, pointsArg] = process.argv.slice(2);
const points = Number(pointsArg ?? 3);
const WIDTH = 40;
const HEIGHT = 12;
const PADDLE = 3;
const SPEED = 0.3;
const FACE = { 1: 2, 2: WIDTH - 2 };
const root = `pong/game/${gameId}`;

const game = {
  status: 'waiting',
  p1Score: 0,
  p2Score: 0,
  servingPlayer: null,
  joined: new Set(),
  paddles: { 1: (HEIGHT - PADDLE) / 2, 2: (HEIGHT - PADDLE) / 2 },
  ball: { x: WIDTH / 2, y: HEIGHT / 2, dx: 0, dy: 0 },
};
let frames = 0;
let firstFrameAt = null;
let lastFrameAt = null;

const client = mqtt.connect(brokerUrl, { clientId: `classic-server-${process.pid}` });

function publishState() {
  const { status, p1Score, p2Score, servingPlayer } = game;
  client.publish(`${root}/state`, JSON.stringify({ status, p1Score, p2Score, servingPlayer, timestamp: Date.now() }), { qos: 0 });
}

/** Puts the ball in the middle, moving towards `towards` (1 or 2), or still for a serve. */
function centreBall(towards) {
  const direction = towards === 1 ? -1 : towards === 2 ? 1 : 0;
  game.ball = { x: WIDTH / 2, y: HEIGHT / 2, dx: SPEED * direction, dy: direction === 0 ? 0 : SPEED * (Math.random() < 0.5 ? -1 : 1) };
}

function bounceOff(player) {
  const { ball } = game;
  const top = game.paddles[player];
  if (ball.y < top || ball.y > top + PADDLE) return false;
  ball.x = FACE[player];
  ball.dx = player === 1 ? Math.abs(ball.dx) : -Math.abs(ball.dx);
  // Off-centre hits leave at an angle, so rallies end.
  const offset = (ball.y - (top + PADDLE / 2)) / (PADDLE / 2);
  ball.dy = SPEED * 1.5 * offset + (offset >= 0 ? 0.05 : -0.05);
  return true;
}

function score(player) {
  if (player === 1) game.p1Score += 1;
  else game.p2Score += 1;
  console.log(`classic server: point to P${player} (${game.p1Score}-${game.p2Score})`);
  if (game.p1Score >= points || game.p2Score >= points) {
    game.status = 'ended';
    game.servingPlayer = null;
    publishState();
    clearInterval(loop);
    const seconds = (lastFrameAt - firstFrameAt) / 1000;
    console.log(`classic server: game over ${game.p1Score}-${game.p2Score}, ${frames} frames in ${seconds.toFixed(1)} s (${((frames - 1) / seconds).toFixed(1)} Hz); loop stopped`);
    return;
  }
  // The player scored on serves.
  game.servingPlayer = player === 1 ? 2 : 1;
  centreBall(0);
  publishState();
}

function tick() {
  if (game.status !== 'playing') return;
  const { ball } = game;
  ball.x += ball.dx;
  ball.y += ball.dy;
  if (ball.y < 0) {
    ball.y = -ball.y;
    ball.dy = Math.abs(ball.dy);
  } else if (ball.y > HEIGHT) {
    ball.y = 2 * HEIGHT - ball.y;
    ball.dy = -Math.abs(ball.dy);
  }
  if (ball.dx < 0 && ball.x <= FACE[1] && ball.x - ball.dx > FACE[1]) bounceOff(1);
  else if (ball.dx > 0 && ball.x >= FACE[2] && ball.x - ball.dx < FACE[2]) bounceOff(2);
  if (ball.x < 0) return score(2);
  if (ball.x > WIDTH) return score(1);
  const now = Date.now();
  firstFrameAt ??= now;
  lastFrameAt = now;
  frames += 1;
  client.publish(`${root}/ball`, JSON.stringify({ x: ball.x, y: ball.y, dx: ball.dx, dy: ball.dy, timestamp: now }), { qos: 0 });
}

const loop = setInterval(tick, 1000 / 60);

client.on('connect', async () => {
  await client.subscribeAsync([`${root}/p1/paddle`, `${root}/p2/paddle`, `${root}/join`, `${root}/restart`, `${root}/serve`], { qos: 0 });
  console.log('classic server ready');
});

client.on('message', (topic, payload) => {
  let data;
  try {
    data = JSON.parse(payload.toString());
  } catch {
    return;
  }
  const kind = topic.split('/')[3];
  if (kind === 'p1' || kind === 'p2') {
    if (typeof data.y === 'number') game.paddles[kind === 'p1' ? 1 : 2] = data.y;
  } else if (kind === 'join') {
    if (data.player !== 1 && data.player !== 2) return;
    game.joined.add(data.player);
    if (game.status === 'waiting' && game.joined.size === 2) {
      game.status = 'playing';
      centreBall(Math.random() < 0.5 ? 1 : 2);
    }
    publishState();
  } else if (kind === 'serve') {
    if (game.status !== 'playing' || game.servingPlayer === null || data.player !== game.servingPlayer) return;
    centreBall(game.servingPlayer === 1 ? 2 : 1);
    game.servingPlayer = null;
    publishState();
  } else if (kind === 'restart') {
    if (game.status !== 'ended') return;
    game.p1Score = 0;
    game.p2Score = 0;
    game.status = 'playing';
    centreBall(1);
    // The loop is not started again: the classic server's bug, which its clients live with.
    publishState();
    console.log('classic server: restarted (no frames will follow)');
  }
});

const stop = () => {
  clearInterval(loop);
  client.end(true, () => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
