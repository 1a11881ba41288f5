/** The four transports, by the name the CLI, the registry and the wire (`join.transport`) use. */
export type TransportName = 'mqtt' | 'ws' | 'socketio' | 'webrtc';
