// The one contract between the renderer and main. Every call and every stream that crosses the process boundary
// is declared here, once, with runtime schemas. The Electron preload, the browser host and the gateway are checked
// against this object (see main/gateway/gateway.ts); the renderer's client only knows these names.
import { z } from 'zod';
import { call, type CallSpec, type StreamSpec } from './contract-kit.js';

const empty = z.object({}).strict();

export const appInfoSchema = z.object({
  version: z.string(),
  /** Which host runs the renderer: the Electron app or `vigil serve` in a browser. */
  host: z.enum(['electron', 'browser']),
  platform: z.string(),
  startedAt: z.string(),
  /** True when the host was opened on an evidence bundle: every view is read-only. */
  readOnly: z.boolean(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const api = {
  'app.info': call('Version, host kind and mode of the running Vigil', empty, appInfoSchema),
} as const satisfies Record<string, CallSpec | StreamSpec>;

export type Api = typeof api;
export type ChannelName = keyof Api;
export type CallName = { [K in ChannelName]: Api[K] extends CallSpec ? K : never }[ChannelName];
export type StreamName = { [K in ChannelName]: Api[K] extends StreamSpec ? K : never }[ChannelName];
export type RequestOf<N extends CallName> = Api[N] extends CallSpec<infer Req, z.ZodType> ? z.input<Req> : never;
export type ResponseOf<N extends CallName> = Api[N] extends CallSpec<z.ZodType, infer Res> ? z.output<Res> : never;
export type ParamsOf<N extends StreamName> = Api[N] extends StreamSpec<infer P, z.ZodType> ? z.input<P> : never;
export type ItemOf<N extends StreamName> = Api[N] extends StreamSpec<z.ZodType, infer I> ? z.output<I> : never;

export const channelNames = Object.keys(api) as ChannelName[];
export function isChannelName(name: string): name is ChannelName {
  return Object.prototype.hasOwnProperty.call(api, name);
}
