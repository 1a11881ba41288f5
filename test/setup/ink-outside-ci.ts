/**
 * Ink draws nothing but the last frame when it believes it runs in CI (it reads CI at import
 * time), which would blank every UI test under CI=true. The tests keep CI's meaning for
 * themselves (missing system binaries fail rather than skip) under PONG_CI, and hide CI from Ink.
 */
for (const name of ['CI', 'CONTINUOUS_INTEGRATION']) {
  const value = process.env[name];
  if (value !== undefined) {
    if (name === 'CI') process.env.PONG_CI = value;
    delete process.env[name];
  }
}
