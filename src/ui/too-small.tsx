import { memo } from 'react';
import { Text } from 'ink';
import type { TerminalSize } from './layout.js';

export const TooSmall = memo(function TooSmall({ need, have }: { need: TerminalSize; have: TerminalSize }) {
  return (
    <Text color="yellow">
      Terminal too small: need at least {need.columns}x{need.rows}, have {have.columns}x{have.rows} — enlarge it
    </Text>
  );
});
