/**
 * The layers of src/, bottom to top; a module imports only from its own layer or below, and
 * neighbours on one layer not from each other:
 *
 *   plots → protocol → metrics → bus → game → transports → cluster → client → bot, compare → ui → server → bench → cli, web
 *
 * (cluster joins one server's bus and rooms to other nodes' through Redis; plots draws figures it is given and knows nothing of pong; ui draws the compare engine's
 * snapshots; cli runs the benches; web is the browser page, which may reach only what a browser
 * runs: see browser-only below, and scripts/build-web.mjs refuses Node-only packages.)
 * `npm test` runs this (npm run lint:layers): a rule broken fails the test command.
 */
const LAYERS = [
  ['plots'],
  ['protocol'],
  ['metrics'],
  ['bus'],
  ['game'],
  ['transports'],
  ['cluster'],
  ['client'],
  ['bot', 'compare'],
  ['ui'],
  ['server'],
  ['bench'],
  ['cli', 'web'],
];

const folder = (name) => `^src/${name}/`;
const above = (index) => LAYERS.slice(index + 1).flat();

const upward = LAYERS.flatMap((names, index) =>
  above(index).length === 0
    ? []
    : names.map((name) => ({
        name: `${name}-imports-only-below`,
        comment: `src/${name} is in layer ${index + 1} of ${LAYERS.length}: it may not import ${above(index).join(', ')}`,
        severity: 'error',
        from: { path: folder(name) },
        to: { path: `^src/(${above(index).join('|')})/` },
      })),
);

/** Neighbours on one layer stay out of each other's way. */
const sideways = LAYERS.filter((names) => names.length > 1).flatMap((names) =>
  names.map((name) => ({
    name: `${name}-not-sideways`,
    comment: `src/${name} may not import its neighbours on the same layer (${names.filter((other) => other !== name).join(', ')})`,
    severity: 'error',
    from: { path: folder(name) },
    to: { path: `^src/(${names.filter((other) => other !== name).join('|')})/` },
  })),
);

module.exports = {
  forbidden: [
    ...upward,
    ...sideways,
    {
      name: 'browser-only',
      comment:
        'src/web runs in the browser: it may not import the server, the terminal UI (Ink), the bots, the Node transport clients and gateways (what it reaches through other modules, and Node built-ins, are checked by its build, which bundles for the browser and refuses Node built-ins and Node-only packages)',
      severity: 'error',
      from: { path: '^src/web/' },
      to: {
        path: '^src/(server|bench|bot|cli)/|^src/ui/.*[.]tsx$|^src/ui/(colour-env|terminal-out|use-[a-z-]+)[.]ts$|^src/transports/(registry|hub|client-registry|address-limiter|wire-meter)[.]ts$|^src/transports/(mqtt|ws|socketio|webrtc)/(client|gateway|index|embedded-broker|external-broker|tcp|peer|server-session|counting-agent)[.]ts$|^src/compare/(observer-link|observer-process|pong-child|game-host|report|plot)[.]ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    includeOnly: '^src/',
  },
};
