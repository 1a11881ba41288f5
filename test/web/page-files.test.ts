/**
 * The page's files as `pong serve` hands them out, and as the npm package ships them: built into
 * dist/web by `npm run build`, nothing fetched from anywhere else at run time.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PongServer } from '../../src/server/server.js';

let server: PongServer;

beforeAll(async () => {
  server = new PongServer({ transports: ['mqtt', 'ws'], host: '127.0.0.1', port: 0, mqttPort: 0 });
  await server.start();
});

afterAll(() => server.stop());

describe('the browser page’s files', () => {
  it('serves the page at / and /compare, its bundle, and what the server serves, same-origin only', async () => {
    for (const path of ['/', '/compare']) {
      const response = await fetch(`${server.httpUrl}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'self'; connect-src 'self' ws: wss:/);
      const html = await response.text();
      expect(html).toContain('<script type="module" src="/app.js"></script>');
      // No CDN: every address the page loads is its own server's.
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
    const bundle = await fetch(`${server.httpUrl}/app.js`);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await bundle.text()).length).toBeGreaterThan(10_000);
    expect((await fetch(`${server.httpUrl}/app.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await (await fetch(`${server.httpUrl}/server.json`)).json()).toEqual({ transports: ['mqtt', 'ws'], mqttWebSocketPath: '/mqtt' });
  });

  it('ships in the npm package', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' })) as Array<{ files: Array<{ path: string }> }>;
    const files = pack!.files.map((file) => file.path);
    for (const file of ['dist/web/index.html', 'dist/web/app.js', 'dist/web/app.css', 'dist/server/web-page.js']) expect(files).toContain(file);
  });
});
