// DSSE (Dead Simple Signing Envelope, https://github.com/secure-systems-lab/dsse/blob/master/protocol.md) v1:
// the pre-authentication encoding that is signed, and the envelope's shape.
import { z } from 'zod';

const encoder = new TextEncoder();

/**
 * PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, where LEN is the byte length in ASCII
 * decimal without leading zeros and type is UTF-8. The signature covers these bytes, never the raw payload.
 */
export function preAuthEncoding(payloadType: string, payload: Uint8Array): Uint8Array {
  const typeBytes = encoder.encode(payloadType);
  const head = encoder.encode(`DSSEv1 ${typeBytes.length} ${payloadType} ${payload.length} `);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'is not standard base64');

export const dsseEnvelopeSchema = z.object({
  payloadType: z.string().min(1).max(256),
  payload: base64,
  signatures: z
    .array(z.object({ keyid: z.string().max(256).optional(), sig: base64.min(1) }))
    .min(1)
    .max(16),
});
export type DsseEnvelope = z.infer<typeof dsseEnvelopeSchema>;
