/**
 * The ack a bench client sends for a ball frame, as pong's session writes it: seq and
 * timestamp echoed, `rx` its receive time. The load generator and the floors' bare clients
 * both send it, so every host's AckLog reads one shape.
 */
const round3 = (value: number) => Math.round(value * 1000) / 1000;

export function ackText(ballJson: string, rx: number): string {
  const ball = JSON.parse(ballJson) as { seq: number; timestamp: number };
  return `{"seq":${ball.seq},"timestamp":${ball.timestamp},"rx":${round3(rx)}}`;
}
