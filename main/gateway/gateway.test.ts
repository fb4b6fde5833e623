import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { Gateway } from './gateway.js';
import { ApiError, call, stream } from '../../shared/api/contract-kit.js';
import { api } from '../../shared/api/contract.js';
import { createAppGateway } from './app-gateway.js';

const testContract = {
  'cases.rename': call('rename a case', z.object({ id: z.string().min(1), title: z.string().max(20) }).strict(), z.object({ ok: z.literal(true) })),
  'events.follow': stream('follow events', z.object({ limit: z.number().int().positive() }).strict(), z.object({ n: z.number() })),
};

describe('Gateway', () => {
  it('runs a handler for a well-formed request and validates the answer', async () => {
    const rename = vi.fn(async () => ({ ok: true as const }));
    const gateway = new Gateway(testContract, { 'cases.rename': rename, 'events.follow': async () => undefined });
    await expect(gateway.call('cases.rename', { id: 'c1', title: 'incident' })).resolves.toEqual({ ok: true });
    expect(rename).toHaveBeenCalledWith({ id: 'c1', title: 'incident' });
  });

  it('rejects a malformed request with a clear error and never runs the handler', async () => {
    const rename = vi.fn(async () => ({ ok: true as const }));
    const gateway = new Gateway(testContract, { 'cases.rename': rename, 'events.follow': async () => undefined });
    for (const bad of [undefined, null, 'x', { id: '' , title: 't' }, { id: 'c1', title: 'x'.repeat(21) }, { id: 'c1', title: 't', extra: 1 }]) {
      const error = await gateway.call('cases.rename', bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('bad-request');
      expect((error as ApiError).message).toMatch(/malformed request to cases\.rename .*nothing was run/);
    }
    expect(rename).not.toHaveBeenCalled();
  });

  it('refuses unknown channels and the wrong kind of channel', async () => {
    const gateway = new Gateway(testContract, { 'cases.rename': async () => ({ ok: true as const }), 'events.follow': async () => undefined });
    await expect(gateway.call('cases.delete', {})).rejects.toMatchObject({ code: 'unknown-channel' });
    await expect(gateway.call('events.follow', { limit: 1 })).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('withholds an answer that breaks the contract', async () => {
    const gateway = new Gateway(testContract, {
      'cases.rename': async () => ({ ok: 'yes' }) as never,
      'events.follow': async () => undefined,
    });
    await expect(gateway.call('cases.rename', { id: 'c1', title: 't' })).rejects.toMatchObject({ code: 'bad-response' });
  });

  it('streams validated items until the handler ends', async () => {
    const gateway = new Gateway(testContract, {
      'cases.rename': async () => ({ ok: true as const }),
      'events.follow': async ({ limit }, emit) => {
        for (let n = 0; n < limit; n++) emit({ n });
      },
    });
    const items: unknown[] = [];
    await gateway.subscribe('events.follow', { limit: 3 }, (item) => items.push(item), new AbortController().signal);
    expect(items).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    await expect(gateway.subscribe('events.follow', { limit: -1 }, () => undefined, new AbortController().signal)).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('refuses to start when handlers and contract disagree', () => {
    expect(() => new Gateway(testContract, { 'cases.rename': async () => ({ ok: true as const }) } as never)).toThrow(/missing events\.follow/);
  });

  it('implements every channel of the real contract', async () => {
    const gateway = createAppGateway({ host: 'browser', readOnly: true });
    for (const name of Object.keys(api)) expect(gateway.channelKind(name)).toBe(api[name as keyof typeof api].kind);
    await expect(gateway.call('app.info', {})).resolves.toMatchObject({ host: 'browser', readOnly: true });
  });
});
