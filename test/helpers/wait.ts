/**
 * Waiting on real sockets without fixed sleeps: poll a condition until it holds, and fail
 * with a message that says what never happened.
 */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Repeats `send` until `arrived` holds: for the moment a subscription takes effect, which no
 * transport acknowledges through the common interface.
 */
export async function repeatUntil(send: () => void, arrived: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!arrived()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    send();
    const next = Date.now() + 50;
    while (!arrived() && Date.now() < next) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
