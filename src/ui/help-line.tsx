import { memo } from 'react';
import { Text } from 'ink';
import type { ViewMode } from './text.js';

export const HELP_TEXT: Record<ViewMode, string> = {
  play: '↑↓ w/s move · space serve · ? help · q quit',
  watch: 'watching — ? help · q quit',
};

export const HelpLine = memo(function HelpLine({ mode }: { mode: ViewMode }) {
  return (
    <Text wrap="truncate" dimColor>
      {HELP_TEXT[mode]}
    </Text>
  );
});
