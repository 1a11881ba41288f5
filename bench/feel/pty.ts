/**
 * A program in a pseudo-terminal, without a native module: python3's pty module forks it on a
 * pty of the given size and relays bytes both ways over pipes. Output chunks are timestamped on
 * arrival here, so the relay's two pipe hops count against the figures (they are ~0.1 ms).
 */
import { spawn } from 'node:child_process';

const RELAY = `
import os, pty, sys, select, fcntl, termios, struct, signal
cols, rows = int(sys.argv[1]), int(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
    os.execvp(sys.argv[3], sys.argv[3:])
sys.stderr.write('pid %d\\n' % pid)
sys.stderr.flush()
signal.signal(signal.SIGTERM, lambda *a: os.kill(pid, signal.SIGTERM))
while True:
    try:
        r, _, _ = select.select([fd, 0], [], [])
    except InterruptedError:
        continue
    if fd in r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        os.write(1, data)
    if 0 in r:
        data = os.read(0, 65536)
        if not data:
            os.kill(pid, signal.SIGTERM)
            break
        os.write(fd, data)
os.waitpid(pid, 0)
`;

export interface PtyProcess {
  /** Pid of the program itself (not the relay), for /proc. */
  pid: Promise<number>;
  write(data: string): void;
  onData(listener: (chunk: Buffer, at: number) => void): void;
  exited: Promise<void>;
  kill(): void;
}

export function spawnInPty(command: string[], options: { columns: number; rows: number; env?: NodeJS.ProcessEnv }): PtyProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', NODE_ENV: 'production', ...options.env };
  // Ink draws only the last frame under CI; a terminal is not a CI log.
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  const relay = spawn('python3', ['-c', RELAY, String(options.columns), String(options.rows), ...command], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const listeners: Array<(chunk: Buffer, at: number) => void> = [];
  relay.stdout.on('data', (chunk: Buffer) => {
    const at = performance.now();
    for (const listener of listeners) listener(chunk, at);
  });
  const pid = new Promise<number>((resolve, reject) => {
    let text = '';
    relay.stderr.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = text.match(/pid (\d+)/);
      if (match) resolve(Number(match[1]));
    });
    relay.on('exit', () => reject(new Error(`pty relay exited: ${text}`)));
  });
  const exited = new Promise<void>((resolve) => relay.on('exit', () => resolve()));
  return {
    pid,
    write: (data) => relay.stdin.write(data),
    onData: (listener) => listeners.push(listener),
    exited,
    kill: () => relay.kill('SIGTERM'),
  };
}
