import { SLOW_CLIENT_DEFAULTS } from '../limits.js';

/**
 * The two data channels of every peer connection. The client creates both (it offers); the
 * server knows them by label. Each data-channel message is one frame of the text framing the
 * ws transport speaks too (../framed/framing.ts), so one decoder serves both transports.
 */

/** Ordered, reliable: state, join, serve, restart, ready, stats, and sub/unsub. */
export const RELIABLE_LABEL = 'reliable' as const;
/** Unordered, no retransmissions: ball, paddle, ack (qos 0, not retained). */
export const UNRELIABLE_LABEL = 'unreliable' as const;

/**
 * The client's bound: above this many bytes queued on its unreliable channel, its latest-wins
 * publishes are skipped, not queued. The server's side of each peer reads its own bound from
 * ClientLimits (shedBytes), whose WebRTC default this is.
 */
export const LATEST_WINS_BACKLOG_BYTES = SLOW_CLIENT_DEFAULTS.webrtc.shedBytes;
