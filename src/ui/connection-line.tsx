import { memo } from 'react';
import { Text } from 'ink';
import type { ConnectionStatus, TransportName } from '../transports/transport.js';
import { connectionText } from './text.js';

export interface ConnectionLineProps {
  gameId: string;
  role: string;
  transport: TransportName;
  connection: ConnectionStatus;
  detail?: string | undefined;
}

const COLOURS: Record<ConnectionStatus, string> = {
  connecting: 'yellow',
  connected: 'green',
  reconnecting: 'yellow',
  disconnected: 'red',
  closed: 'red',
};

export const ConnectionLine = memo(function ConnectionLine(props: ConnectionLineProps) {
  return (
    <Text wrap="truncate">
      <Text color={COLOURS[props.connection]}>●</Text>{' '}
      {connectionText(props.gameId, props.role, props.transport, props.connection, props.detail)}
    </Text>
  );
});
