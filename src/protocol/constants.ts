/**
 * Court geometry and limits shared by the server, every client and the validators. The court
 * size, paddle height and status names are the classic pong-mqtt demo's, so its clients and
 * ours interoperate (see docs/PROTOCOL.md).
 */
export const COURT_WIDTH = 40;
export const COURT_HEIGHT = 12;
export const PADDLE_HEIGHT = 3;
/** Paddles sit one unit in from each side; their faces are where the ball bounces. */
export const PADDLE_INSET = 1;
export const PADDLE_WIDTH = 1;
export const BALL_RADIUS = 0.25;

export const DEFAULT_FPS = 60;
export const DEFAULT_POINTS = 11;
export const DEFAULT_GAME_ID = 'demo';

/** Largest payload any gateway or client accepts, in bytes. Real messages are under 400. */
export const MAX_PAYLOAD_BYTES = 4096;
/** Times are epoch ms; anything at or above this (year 5138) is garbage, not a clock. */
export const MAX_TIMESTAMP = 1e14;
/** Game ids are one topic level: letters, digits, dash and underscore. */
export const GAME_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
