/**
 * The progress line on stderr: rewritten in place on a terminal, one line per step otherwise
 * (a log or a CI pipe), so stdout stays the table or the JSON alone.
 */
export class Progress {
  readonly #tty = process.stderr.isTTY === true;
  #shown = false;

  constructor(private readonly quiet = false) {}

  show(text: string): void {
    if (this.quiet) return;
    if (this.#tty) {
      process.stderr.write(`\r\x1b[2K${text}`);
      this.#shown = true;
    } else {
      process.stderr.write(`${text}\n`);
    }
  }

  done(): void {
    if (this.#tty && this.#shown) process.stderr.write('\r\x1b[2K');
    this.#shown = false;
  }
}
