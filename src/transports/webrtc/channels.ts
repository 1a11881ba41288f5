/**
 * The two data channels of every peer connection. The client creates both (it offers); the
 * server knows them by label. Each data-channel message is one frame of the text framing the
 * ws transport speaks too (../framed/framing.ts), so one decoder serves both transports.
 */

/** Ordered, reliable: state, join, serve, restart, ready, stats, and sub/unsub. */
export const RELIABLE_LABEL = 'reliable' as const;
/** Unordered, no retransmissions: ball, paddle, ack (qos 0, not retained). */
export const UNRELIABLE_LABEL = 'unreliable' as const;

/** Above this many bytes queued on a channel, latest-wins frames are skipped, not queued. */
export const LATEST_WINS_BACKLOG_BYTES = 64 * 1024;
