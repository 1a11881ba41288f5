/**
 * Named skill levels for people choosing an opponent (`pong demo --level`), as points on the
 * bot's 0–1 skill scale (see botTraits for what a skill means). Easy reacts in 0.27 s and
 * moves at 18 units/s, so fast shots beat it; hard reacts in 0.08 s at 38 units/s and rarely
 * misjudges; medium is the demo's long-standing default.
 */
export const BOT_LEVELS = { easy: 0.35, medium: 0.7, hard: 0.95 } as const;

export type BotLevel = keyof typeof BOT_LEVELS;

export const BOT_LEVEL_NAMES = Object.keys(BOT_LEVELS) as BotLevel[];
