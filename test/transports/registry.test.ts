import { describe, expect, it } from 'vitest';
import { getTransport, transportNames, transports } from '../../src/transports/registry.js';

describe('transport registry', () => {
  it('lists every registered transport under its own name', () => {
    expect(transportNames).toContain('mqtt');
    expect(transportNames).toContain('ws');
    for (const name of transportNames) {
      expect(transports[name]?.name).toBe(name);
      expect(getTransport(name).summary.length).toBeGreaterThan(0);
    }
  });

  it('names the choices when asked for an unknown transport', () => {
    expect(() => getTransport('carrier-pigeon')).toThrow(/unknown transport 'carrier-pigeon': choose from mqtt, ws\b/);
  });
});
