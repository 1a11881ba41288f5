/**
 * What the embedded broker tells one client directly, written to that client's connection
 * alone (no subscription routes it, and `#` never matches a `$` topic): MQTT 3.1.1 has no
 * reason codes to close a connection with.
 */

/** This client's connection is being closed: a newer connection of the same client proved itself. */
export const TAKEN_OVER_TOPIC = '$pong/taken-over';
