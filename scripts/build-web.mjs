// Builds the browser page (src/web) into dist/web: one ES module bundle with everything it
// imports (the shared client, protocol and metrics code, socket.io-client, mqtt.js), its
// stylesheet and the HTML, so `pong serve` can hand out the page with no CDN and no network.
// `platform: 'browser'` makes a Node built-in reached from the page a build error.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/web`;

await mkdir(out, { recursive: true });
const result = await build({
  entryPoints: [`${root}src/web/main.ts`],
  outfile: `${out}/app.js`,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox115', 'safari16'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
  tsconfig: `${root}tsconfig.web.json`,
});
// The page runs what the browser has: a Node-only package reached from it is a mistake in src/web.
const NODE_ONLY = /node_modules\/(ws|aedes|node-datachannel|ink|react|yargs|vega[^/]*|socket\.io)\//;
const strays = Object.keys(result.metafile.inputs).filter((input) => NODE_ONLY.test(input));
if (strays.length > 0) {
  console.error(`pong: the browser page imports Node-only code: ${strays.slice(0, 5).join(', ')}`);
  process.exit(1);
}
for (const file of ['index.html', 'app.css']) await copyFile(`${root}src/web/${file}`, `${out}/${file}`);
const bytes = result.metafile.outputs['dist/web/app.js']?.bytes;
if (process.argv.includes('--verbose') && bytes !== undefined) console.log(`dist/web/app.js: ${Math.round(bytes / 1024)} KiB`);
