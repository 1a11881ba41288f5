/**
 * Runs the real `pong` binary as a child process, the way a person would, and waits for what
 * it prints. Every process started here is killed when the test's cleanup runs.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The program under test: this checkout's, unless PONG_BIN names another build (to try a test on it). */
export const PONG_BIN = process.env['PONG_BIN'] ?? fileURLToPath(new URL('../../bin/pong.js', import.meta.url));

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  /** Everything printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output (waiting for it if need be). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

const running = new Set<CliProcess>();

export function runPong(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [PONG_BIN, ...args], {
    env: { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let text = '';
  const watchers = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const watcher of watchers) watcher();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const proc: CliProcess = {
    child,
    output: () => text,
    exited,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = text.match(pattern);
          if (match) {
            cleanup();
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern} in output of pong ${args.join(' ')}:\n${text}`));
        }, timeoutMs);
        const onExit = () => {
          // Give buffered output a moment to arrive before declaring failure.
          setTimeout(() => {
            check();
            if (watchers.has(check)) {
              cleanup();
              reject(new Error(`pong ${args.join(' ')} exited before printing ${pattern}:\n${text}`));
            }
          }, 50);
        };
        const cleanup = () => {
          clearTimeout(timer);
          watchers.delete(check);
          child.off('exit', onExit);
        };
        watchers.add(check);
        child.on('exit', onExit);
        check();
      });
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      running.delete(proc);
      return code;
    },
  };
  running.add(proc);
  return proc;
}

export async function killAll(): Promise<void> {
  await Promise.all([...running].map((proc) => proc.kill()));
}

/**
 * Starts `pong serve` on OS-chosen ports and returns its URLs once it is listening. Loading the
 * four transports' libraries takes a second on a quiet machine and far longer on a loaded one,
 * where the tests should still pass: hence the long wait.
 */
export async function startPongServe(args: readonly string[]): Promise<{ proc: CliProcess; mqttUrl?: string; httpUrl?: string }> {
  const proc = runPong(['serve', '--port', '0', '--mqtt-port', '0', ...args]);
  await proc.waitFor(/press Ctrl-C to stop/, 30_000);
  const mqtt = proc.output().match(/serving mqtt (mqtt:\/\/\S+)/)?.[1];
  const http = proc.output().match(/serving (?:ws|socketio|webrtc) (http:\/\/\S+)/)?.[1];
  return { proc, ...(mqtt ? { mqttUrl: mqtt } : {}), ...(http ? { httpUrl: http } : {}) };
}
