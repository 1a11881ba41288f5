/**
 * Just enough of a terminal to read the game's screen back from its output (for the render
 * bench, the UI tests and the feel bench): printable characters (one cell each: the game draws no wide ones), CR/LF, cursor moves (CUU/CUD/CUF/
 * CUB/CHA/CUP), erase in line and display, save/restore cursor, scrolling at the bottom.
 * Colours and modes are ignored. A line feed also returns the carriage, as a pty's ONLCR does
 * (so a plain stream reads like a terminal). The end of every synchronized update (DEC 2026)
 * is a frame.
 */
export class VirtualTerminal {
  private screen: string[][];
  private row = 0;
  private col = 0;
  private saved = { row: 0, col: 0 };
  private carry = '';
  private readonly frameListeners: Array<() => void> = [];

  constructor(
    private readonly columns: number,
    private readonly rows: number,
  ) {
    this.screen = Array.from({ length: rows }, () => new Array<string>(columns).fill(' '));
  }

  onFrame(listener: () => void): void {
    this.frameListeners.push(listener);
  }

  text(): string {
    return this.screen.map((line) => line.join('').trimEnd()).join('\n');
  }

  write(chunk: string): void {
    let data = this.carry + chunk;
    this.carry = '';
    // An escape sequence cut by the chunk boundary waits for the rest.
    const lastEsc = data.lastIndexOf('\u001B');
    if (lastEsc >= 0 && !/^\u001B(\[[0-9;?]*[A-Za-z]|[78()=>]|\][^\u0007]*\u0007)/.test(data.slice(lastEsc))) {
      this.carry = data.slice(lastEsc);
      data = data.slice(0, lastEsc);
    }
    // eslint-disable-next-line no-control-regex
    const tokens = /\u001B\[([0-9;?]*)([A-Za-z])|\u001B([78])|\u001B[()][A-Z0-9]|\u001B[=>]|\u001B\][^\u0007]*\u0007|\r|\n|\u0007|[^\u001B\r\n\u0007]/gu;
    for (const match of data.matchAll(tokens)) {
      const [token, params, final, escape] = match;
      if (final !== undefined) this.csi(params ?? '', final);
      else if (escape === '7') this.saved = { row: this.row, col: this.col };
      else if (escape === '8') ({ row: this.row, col: this.col } = this.saved);
      else if (token === '\r') this.col = 0;
      else if (token === '\n') {
        this.col = 0;
        this.lineFeed();
      }
      else if (token.startsWith('\u001B') || token === '\u0007') continue;
      else this.put(token);
    }
  }

  private put(char: string): void {
    if (this.col >= this.columns) {
      this.col = 0;
      this.lineFeed();
    }
    this.screen[this.row]![this.col] = char;
    this.col += 1;
  }

  private lineFeed(): void {
    if (this.row < this.rows - 1) {
      this.row += 1;
      return;
    }
    this.screen.shift();
    this.screen.push(new Array<string>(this.columns).fill(' '));
  }

  private csi(params: string, final: string): void {
    if (params.startsWith('?')) {
      if (params === '?2026' && final === 'l') for (const listener of this.frameListeners) listener();
      return;
    }
    const numbers = params.split(';').map((p) => (p === '' ? NaN : Number(p)));
    const n = Number.isFinite(numbers[0]) ? numbers[0]! : 1;
    const clampRow = (r: number): number => Math.max(0, Math.min(this.rows - 1, r));
    const clampCol = (c: number): number => Math.max(0, Math.min(this.columns - 1, c));
    switch (final) {
      case 'A':
        this.row = clampRow(this.row - n);
        break;
      case 'B':
        this.row = clampRow(this.row + n);
        break;
      case 'C':
        this.col = clampCol(this.col + n);
        break;
      case 'D':
        this.col = clampCol(this.col - n);
        break;
      case 'G':
        this.col = clampCol(n - 1);
        break;
      case 'H':
      case 'f':
        this.row = clampRow((Number.isFinite(numbers[0]) ? numbers[0]! : 1) - 1);
        this.col = clampCol((Number.isFinite(numbers[1]) ? numbers[1]! : 1) - 1);
        break;
      case 'K': {
        const line = this.screen[this.row]!;
        const mode = Number.isFinite(numbers[0]) ? numbers[0]! : 0;
        const [from, to] = mode === 0 ? [this.col, this.columns] : mode === 1 ? [0, this.col + 1] : [0, this.columns];
        for (let c = from; c < to; c++) line[c] = ' ';
        break;
      }
      case 'J': {
        const mode = Number.isFinite(numbers[0]) ? numbers[0]! : 0;
        if (mode === 2 || mode === 3) this.screen = Array.from({ length: this.rows }, () => new Array<string>(this.columns).fill(' '));
        else if (mode === 0) {
          for (let c = this.col; c < this.columns; c++) this.screen[this.row]![c] = ' ';
          for (let r = this.row + 1; r < this.rows; r++) this.screen[r]!.fill(' ');
        }
        break;
      }
      default:
        break;
    }
  }
}
