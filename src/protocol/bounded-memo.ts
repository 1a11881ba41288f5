/**
 * Answers remembered per key, for keys that repeat thousands of times a second (a game's few
 * topics). Keys can come from clients, so the memory is bounded: at `max` answers, all are
 * forgotten at once, which is cheap and never wrong, only slower for a moment.
 */
export class BoundedMemo<K, V extends NonNullable<unknown> | null> {
  readonly #answers = new Map<K, V>();

  constructor(
    private readonly max: number,
    private readonly compute: (key: K) => V,
  ) {}

  get(key: K): V {
    let answer = this.#answers.get(key);
    if (answer === undefined) {
      answer = this.compute(key);
      if (this.#answers.size >= this.max) this.#answers.clear();
      this.#answers.set(key, answer);
    }
    return answer;
  }

  /** For when the answers may have changed. */
  clear(): void {
    this.#answers.clear();
  }
}
