import { MAX_PAYLOAD_BYTES } from '../../protocol/constants.js';
import { DEFAULT_HUB_LIMITS } from '../hub.js';

/** Room for the header line (`pub <topic> <flags>\n`) on top of the largest payload. */
export const WS_MAX_FRAME_BYTES = MAX_PAYLOAD_BYTES + DEFAULT_HUB_LIMITS.maxTopicLength + 16;
/** How often the server pings each client; a client that misses one ping is dropped. */
export const DEFAULT_HEARTBEAT_MS = 15_000;
