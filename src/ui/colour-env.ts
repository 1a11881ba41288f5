/**
 * NO_COLOR for Ink's own colours. Ink colours text through chalk, which honours FORCE_COLOR=0
 * but not NO_COLOR, and decides once, when first imported. Imported before Ink (first in
 * render.tsx), this makes NO_COLOR mean FORCE_COLOR=0 for the whole UI; the court, painted
 * outside Ink, asks colourEnabled() itself.
 */
import { colourEnabled } from './colours.js';

if (!colourEnabled() && process.env.FORCE_COLOR === undefined) process.env.FORCE_COLOR = '0';
