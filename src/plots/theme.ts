/**
 * The look every plot shares, chosen for a projector at the back of a classroom and for a
 * page printed in grey: the Okabe-Ito palette (distinguishable with every common colour
 * vision deficiency), a fixed colour per transport so a transport is the same colour in every
 * picture, dashes that still tell series apart without colour, and type large enough to read
 * from across a room.
 */
import type { Config } from 'vega-lite';

/** Okabe & Ito's colour-blind-safe palette (yellow is left out: it vanishes on white). */
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;

/** Each transport's name in a legend, by its CLI name. */
const TRANSPORT_LABELS: Readonly<Record<string, string>> = {
  mqtt: 'MQTT',
  ws: 'WebSocket (ws)',
  socketio: 'Socket.io',
  webrtc: 'WebRTC',
};

const TRANSPORT_COLOURS: Readonly<Record<string, string>> = {
  mqtt: OKABE_ITO.blue,
  ws: OKABE_ITO.orange,
  socketio: OKABE_ITO.bluishGreen,
  webrtc: OKABE_ITO.reddishPurple,
};

/** For names outside the four transports, in order. */
const SPARE_COLOURS = [OKABE_ITO.skyBlue, OKABE_ITO.vermillion];

/** The machine floor, lost frames, anything that is not a transport: black. */
export const NEUTRAL_COLOUR = OKABE_ITO.black;

export function transportLabel(name: string): string {
  return TRANSPORT_LABELS[name] ?? name;
}

/** A colour per transport, the same in every plot; names it does not know get the spares. */
export function transportColours(names: readonly string[]): string[] {
  let spare = 0;
  return names.map((name) => TRANSPORT_COLOURS[name] ?? SPARE_COLOURS[spare++ % SPARE_COLOURS.length]!);
}

/** Solid, dashed, dotted: series told apart in grey print. */
export const DASHES = {
  solid: [1, 0],
  dashed: [9, 5],
  dotted: [2, 4],
} as const satisfies Record<string, number[]>;

/** Fonts a projector and a printer both have, in the SVG and on the page. */
export const FONT = 'Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif';

/** Pixels in the SVG: a plot is drawn about 1000 wide, so 15 px type reads at a projector's scale. */
export const SIZES = {
  width: 1000,
  label: 15,
  axisTitle: 16,
  header: 17,
  title: 22,
  subtitle: 14,
  stroke: 2.25,
} as const;

export const PLOT_CONFIG: Config = {
  font: FONT,
  background: 'white',
  padding: 12,
  view: { stroke: '#888888' },
  title: { fontSize: SIZES.title, subtitleFontSize: SIZES.subtitle, subtitleColor: '#333333', anchor: 'start', offset: 14, subtitlePadding: 6 },
  axis: {
    labelFontSize: SIZES.label,
    titleFontSize: SIZES.axisTitle,
    titleFontWeight: 'bold',
    labelColor: '#222222',
    titleColor: '#000000',
    gridColor: '#dddddd',
    tickColor: '#888888',
    domainColor: '#888888',
    titlePadding: 10,
  },
  legend: {
    labelFontSize: SIZES.label,
    titleFontSize: SIZES.axisTitle,
    symbolStrokeWidth: 3,
    symbolSize: 300,
    orient: 'right',
    direction: 'vertical',
    rowPadding: 8,
    offset: 24,
    labelLimit: 360,
  },
  header: { labelFontSize: SIZES.header, labelFontWeight: 'bold', titleFontSize: SIZES.axisTitle, labelPadding: 8 },
  line: { strokeWidth: SIZES.stroke },
  point: { size: 70, strokeWidth: 2 },
};
