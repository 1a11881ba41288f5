export { renderGame, RENDER_MAX_FPS, type GameUi, type RenderGameOptions } from './render.js';
export { GameView, type GameViewProps } from './game-view.js';
export { renderCourt, DEFAULT_COURT, type CourtGeometry } from './court.js';
export { sparkline } from './sparkline.js';
export { fitLayout, minimumTerminal, type TerminalSize, type ViewLayout } from './layout.js';
