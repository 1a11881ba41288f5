/** Mounts the compare screen on a terminal, with the settings of the game view (STYLE.md). */
import { render } from 'ink';
import type { GameUi } from '../render.js';
import { RENDER_MAX_FPS, TERMINAL_SCREEN_OPTIONS } from '../render.js';
import { CompareView, type CompareViewProps } from './compare-view.js';

export interface RenderCompareOptions extends CompareViewProps {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

export function renderCompare({ stdin, stdout, ...props }: RenderCompareOptions): GameUi {
  const instance = render(<CompareView {...props} />, {
    stdout: stdout ?? process.stdout,
    stdin: stdin ?? process.stdin,
    // The court paces itself at 30 fps; Ink's own throttle must not halve that.
    maxFps: RENDER_MAX_FPS,
    ...TERMINAL_SCREEN_OPTIONS,
  });
  return {
    waitUntilExit: async () => {
      await instance.waitUntilExit();
    },
    unmount: () => instance.unmount(),
  };
}
