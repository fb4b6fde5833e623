import { describe, expect, it } from 'vitest';
import { fitViewport } from './graph-viewport.js';

describe('fit viewport', () => {
  const options = { padding: 40, minZoom: 0.02, maxZoom: 4 };

  it('centres the points and makes them fit inside the padding', () => {
    const points = [{ x: 0, y: 0 }, { x: 1000, y: 400 }];
    const { zoom, pan } = fitViewport(points, { width: 1280, height: 760 }, options)!;
    for (const p of points) {
      const screen = { x: p.x * zoom + pan.x, y: p.y * zoom + pan.y };
      expect(screen.x).toBeGreaterThan(40);
      expect(screen.x).toBeLessThan(1240);
      expect(screen.y).toBeGreaterThan(40);
      expect(screen.y).toBeLessThan(720);
    }
    expect(500 * zoom + pan.x).toBeCloseTo(640);
  });

  it('keeps the zoom within its limits and gives nothing for no points', () => {
    expect(fitViewport([{ x: 5, y: 5 }], { width: 1280, height: 760 }, { ...options, maxZoom: 1.5 })!.zoom).toBe(1.5);
    expect(fitViewport([{ x: 0, y: 0 }, { x: 1e7, y: 0 }], { width: 1280, height: 760 }, options)!.zoom).toBe(0.02);
    expect(fitViewport([], { width: 1280, height: 760 }, options)).toBeNull();
  });
});
