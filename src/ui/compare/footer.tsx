import { memo } from 'react';
import { Box, Text } from 'ink';
import { HELP_TEXT } from '../help-line.js';

/** What the figures are, in one line: the table's headers only name them. */
export const MEANING =
  'one-way ms: rx − sent − clock offset, on frames every row got · B/frame: all bytes in ÷ frames';
const KEYS_WATCH = 'q quit · rtt: round trip the server measured for that observer';

export const CompareFooter = memo(function CompareFooter({ play }: { play: boolean }) {
  return (
    <Box flexDirection="column">
      <Text wrap="truncate" dimColor>
        {MEANING}
      </Text>
      <Text wrap="truncate" dimColor>
        {play ? `${HELP_TEXT.play} · you are P1` : KEYS_WATCH}
      </Text>
    </Box>
  );
});
