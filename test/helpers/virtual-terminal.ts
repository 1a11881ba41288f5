// The render bench reads the game's screen back with it too, so it lives with the bench.
export { VirtualTerminal } from '../../src/bench/render/virtual-terminal.js';
