import { describe, expect, it } from 'vitest';
import { fitLayout, minimumTerminal } from '../../src/ui/layout.js';

describe('fitLayout', () => {
  it('needs 44 x 17 for the classic court', () => {
    expect(minimumTerminal()).toEqual({ columns: 44, rows: 17 });
    expect(fitLayout({ columns: 43, rows: 40 }).kind).toBe('too-small');
    expect(fitLayout({ columns: 120, rows: 16 }).kind).toBe('too-small');
    expect(fitLayout({ columns: 44, rows: 17 })).toMatchObject({ kind: 'court', courtCols: 40, courtRows: 6, width: 44, height: 16 });
  });

  it('scales to an 80 x 24 terminal, keeps cells about twice as tall as wide, and leaves a line free', () => {
    const layout = fitLayout({ columns: 80, rows: 24 });
    expect(layout).toMatchObject({ kind: 'court', courtCols: 78, courtRows: 11, width: 80 });
    if (layout.kind === 'court') expect(layout.height).toBeLessThan(24);
  });

  it('is limited by height on a wide, short terminal', () => {
    const layout = fitLayout({ columns: 200, rows: 23 });
    expect(layout).toMatchObject({ kind: 'court', courtCols: 80, courtRows: 12 });
    if (layout.kind === 'court') expect(layout.height).toBeLessThanOrEqual(22);
  });

  it('stops growing at three columns per unit on a huge terminal', () => {
    expect(fitLayout({ columns: 300, rows: 100 })).toMatchObject({ kind: 'court', courtCols: 120, courtRows: 18, width: 122 });
  });
});
