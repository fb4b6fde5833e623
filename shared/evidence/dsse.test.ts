import { describe, expect, it } from 'vitest';
import { preAuthEncoding } from './dsse.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('DSSE pre-authentication encoding', () => {
  it('matches the spec example byte for byte', () => {
    // protocol.md: PAE("http://example.com/HelloWorld", "hello world")
    const pae = preAuthEncoding('http://example.com/HelloWorld', new TextEncoder().encode('hello world'));
    expect(text(pae)).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('counts bytes, not characters, and keeps binary payloads intact', () => {
    const payload = new Uint8Array([0xe2, 0x82, 0xac, 0x00, 0xff]);
    const pae = preAuthEncoding('application/vnd.in-toto+json', payload);
    const head = 'DSSEv1 28 application/vnd.in-toto+json 5 ';
    expect(text(pae.subarray(0, head.length))).toBe(head);
    expect([...pae.subarray(head.length)]).toEqual([...payload]);
    expect(text(preAuthEncoding('t€', new Uint8Array()))).toBe('DSSEv1 4 t€ 0 ');
  });
});
