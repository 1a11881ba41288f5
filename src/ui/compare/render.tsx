/** Mounts the compare screen on a terminal, with the settings of the game view (STYLE.md). */
import { render } from 'ink';
import type { GameUi } from '../render.js';
import { RENDER_MAX_FPS } from '../render.js';
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
    // q and Ctrl-C unmount the screen first, so the terminal is restored before the teardown.
    exitOnCtrlC: false,
    patchConsole: false,
    // Broken in ink 6.7–6.8: every frame lands one line lower.
    incrementalRendering: false,
    kittyKeyboard: {
      mode: 'auto',
      flags: ['disambiguateEscapeCodes', 'reportEventTypes', 'reportAllKeysAsEscapeCodes'],
    },
  });
  return {
    waitUntilExit: async () => {
      await instance.waitUntilExit();
    },
    unmount: () => instance.unmount(),
  };
}
