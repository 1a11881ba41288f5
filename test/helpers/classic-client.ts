/**
 * A stand-in for the classic pong-mqtt demo's terminal client, to play against pong's server.
 * It behaves as that client was seen to (issue #20), not as pong's does: an mqtt.js client that
 * subscribes to `pong/game/<id>/#`, announces itself with {"player","timestamp"} (no client id,
 * no token), sends its paddle as {"y","timestamp"}, serves with {"player","timestamp"} when the
 * state says it is its serve, and asks for a new game with {"timestamp"} alone. Its topic parser
 * takes every message under `p1/` or `p2/` for a paddle and reads `y` from it; anything it met
 * there that was not a paddle is kept in `notPaddles`, where the classic client would have
 * drawn a paddle at `undefined`.
 *
 * It plays by following the ball with its paddle, as a person at the keys would try to.
 */
import mqtt, { type MqttClient } from 'mqtt';

export interface ClassicState {
  status: string;
  p1Score: number;
  p2Score: number;
  servingPlayer: 1 | 2 | null;
}

export class ClassicClient {
  /** Messages under p1/ or p2/ the classic parser would have taken for a paddle, wrongly. */
  readonly notPaddles: Array<{ topic: string; payload: string }> = [];
  /** Paddle messages of the other player, read as the classic client reads them. */
  opponentPaddles = 0;
  frames = 0;
  /** Every message by its fourth topic level (ball, state, p1, p2, ack, ...). */
  readonly byKind = new Map<string, number>();
  readonly states: ClassicState[] = [];
  private paddleY = 4.5;
  private servedAt: ClassicState | null = null;

  private constructor(
    private readonly client: MqttClient,
    private readonly gameId: string,
    private readonly player: 1 | 2,
  ) {}

  /** `brokerUrl` may be mqtt:// or ws:// (the classic page's, with a username and password in `options`). */
  static async connect(brokerUrl: string, gameId: string, player: 1 | 2, options: mqtt.IClientOptions = {}): Promise<ClassicClient> {
    // mqtt.js makes up a client id (mqttjs_...); the classic client sets none of its own.
    const client = await mqtt.connectAsync(brokerUrl, { reconnectPeriod: 0, ...options });
    const classic = new ClassicClient(client, gameId, player);
    client.on('message', (topic, payload) => classic.onMessage(topic, payload.toString()));
    await client.subscribeAsync(`pong/game/${gameId}/#`);
    classic.send('join', { player, timestamp: Date.now() });
    return classic;
  }

  get state(): ClassicState | undefined {
    return this.states.at(-1);
  }

  /** The classic client's `r`: a new game, naming no player. */
  restart(): void {
    this.send('restart', { timestamp: Date.now() });
  }

  close(): Promise<void> {
    return this.client.endAsync();
  }

  private onMessage(topic: string, payload: string): void {
    const parts = topic.split('/');
    if (parts[0] !== 'pong' || parts[1] !== 'game' || parts[2] !== this.gameId) return;
    const kind = parts[3] ?? '';
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(payload) as Record<string, unknown>;
    } catch {
      return;
    }
    if (kind === 'p1' || kind === 'p2') {
      // The classic parser: any p1/... or p2/... is a paddle, and y is read from it.
      if (parts[4] !== 'paddle' || typeof data['y'] !== 'number') this.notPaddles.push({ topic, payload });
      else if (kind !== `p${this.player}`) this.opponentPaddles += 1;
    } else if (kind === 'ball') {
      this.frames += 1;
      this.follow(Number(data['y']));
    } else if (kind === 'state') {
      const state = data as unknown as ClassicState;
      this.states.push(state);
      if (state.status === 'playing' && state.servingPlayer === this.player && this.servedAt !== state) {
        this.servedAt = state;
        this.send('serve', { player: this.player, timestamp: Date.now() });
      }
    }
  }

  /** Keeps the paddle's centre on the ball, a message whenever it moves. */
  private follow(ballY: number): void {
    if (!Number.isFinite(ballY)) return;
    const y = Math.min(9, Math.max(0, ballY - 1.5));
    if (Math.abs(y - this.paddleY) < 0.05) return;
    this.paddleY = y;
    this.client.publish(`pong/game/${this.gameId}/p${this.player}/paddle`, JSON.stringify({ y, timestamp: Date.now() }));
  }

  private send(kind: string, body: object): void {
    this.client.publish(`pong/game/${this.gameId}/${kind}`, JSON.stringify(body), { qos: 1 });
  }
}
