/**
 * The whole `pong compare` screen: title, the small live court beside the game's score and
 * the measured window, every transport's figures side by side, and a footer.
 */
import { Box, Text } from 'ink';
import type { ClientControls, ViewSource } from '../../client/view-state.js';
import type { ComparisonSource } from '../../compare/snapshot.js';
import type { PlayerNumber } from '../../protocol/messages.js';
import { TooSmall } from '../too-small.js';
import { useTerminalSize } from '../use-terminal-size.js';
import { CourtPane } from './court-pane.js';
import { CompareFooter } from './footer.js';
import { compareLayout } from './layout.js';
import { TransportTable } from './transport-table.js';
import { WindowInfo } from './window-info.js';

export interface CompareViewProps {
  comparison: ComparisonSource;
  /** Draws the court: player 1's session with --play, else one of the observers. */
  court: ViewSource;
  controls: ClientControls;
  player: PlayerNumber | null;
  transports: number;
  /** Where the game runs, in a few words. */
  where: string;
  /** The top line. */
  title?: string;
  /** The court's frame rate; the figures follow the comparison's own ticks. */
  courtFps?: number;
}

export function CompareView(props: CompareViewProps) {
  const { comparison, court, controls, player, transports, where, title = 'pong compare', courtFps = 30 } = props;
  const size = useTerminalSize();
  const layout = compareLayout(size, transports);
  if (layout.kind === 'too-small') return <TooSmall need={layout.need} have={layout.have} />;
  return (
    <Box flexDirection="column" width={layout.width}>
      <Text bold wrap="truncate">
        {title}
      </Text>
      <CourtPane
        source={court}
        controls={controls}
        player={player}
        fps={courtFps}
        aside={<WindowInfo comparison={comparison} where={where} />}
      />
      <Text> </Text>
      <TransportTable comparison={comparison} width={layout.width} />
      <CompareFooter play={player !== null} />
    </Box>
  );
}
