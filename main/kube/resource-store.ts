// An informer-like store of one resource kind: a paginated list (limit/continue), then a watch from the list's
// resourceVersion with bookmarks; on 410 Gone it lists again and reports what changed meanwhile; on a dropped or
// failed watch it reconnects with exponential backoff. Objects are kept whole except managedFields, which nobody
// reads and which roughly doubles a Pod's size, and kubectl's last-applied-configuration annotation: a second copy
// of the object as last applied (for a Secret applied with kubectl, its data in clear), read by nothing in Vigil.
import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '../../shared/model/inventory.js';
import type { KubeClient } from './kube-client.js';
import { KubeApiError } from './kube-errors.js';
import { apiVersionOf, collectionPath, type ResourceKind } from './resource-kinds.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export type DeltaType = 'added' | 'modified' | 'deleted';
export interface InventoryDelta {
  type: DeltaType;
  kind: string;
  object: KubeObject;
}

export type StoreState = 'idle' | 'listing' | 'watching' | 'backoff' | 'forbidden' | 'failed' | 'stopped';

export interface ResourceStoreOptions {
  namespace?: string;
  pageSize?: number;
  /** Keep watching after the first list (default true). */
  watch?: boolean;
  onDelta?: (delta: InventoryDelta) => void;
  backoff?: { initialMs: number; maxMs: number };
  /** Upper bound of the server-side watch duration; the server then ends the watch and the store resumes it. */
  watchTimeoutSeconds?: number;
}

interface ListPage {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[];
}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject & { code?: number; reason?: string; message?: string };
}

export function objectKey(object: KubeObject): string {
  return object.metadata.namespace ? `${object.metadata.namespace}/${object.metadata.name}` : object.metadata.name;
}

/** Longest stretch of watch-event processing before yielding to the event loop. */
const WATCH_SLICE_MS = 8;

class WatchExpired extends Error {
  override name = 'WatchExpired';
}

export class ResourceStore {
  readonly objects = new Map<string, KubeObject>();
  resourceVersion = '';
  state: StoreState = 'idle';
  lastError: string | undefined;
  readonly stats = { pages: 0, lists: 0, relists: 0, watchEvents: 0, bookmarks: 0, reconnects: 0 };
  private readonly apiVersion: string;
  private readonly pageSize: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private watchResponse: IncomingMessage | undefined;

  constructor(
    private readonly client: KubeClient,
    readonly kind: ResourceKind,
    private readonly options: ResourceStoreOptions = {},
  ) {
    this.apiVersion = apiVersionOf(kind);
    // 250 rather than kubectl's 500: on the 20,000-pod benchmark it halves the longest event-loop block (one page's
    // JSON.parse) and keeps the list as fast (test/bench/kube-inventory.ts).
    this.pageSize = options.pageSize ?? 250;
    this.backoff = options.backoff ?? { initialMs: 500, maxMs: 30_000 };
  }

  private get path(): string {
    return collectionPath(this.kind, this.options.namespace);
  }

  private normalise(object: KubeObject): KubeObject {
    // List items and watch objects come without apiVersion/kind in lists; the snapshot wants them self-describing.
    // Metadata-only objects come as PartialObjectMetadata: they are still this kind's objects.
    if (this.kind.metadataOnly || object.apiVersion === undefined) object.apiVersion = this.apiVersion;
    if (this.kind.metadataOnly || object.kind === undefined) object.kind = this.kind.kind;
    delete (object.metadata as { managedFields?: unknown }).managedFields;
    const annotations = object.metadata.annotations;
    if (annotations && LAST_APPLIED in annotations) {
      delete annotations[LAST_APPLIED];
      if (Object.keys(annotations).length === 0) delete object.metadata.annotations;
    }
    return object;
  }

  /** The Accept header that asks for metadata only, for a metadata-only kind (list or watch form). */
  private accept(as: 'PartialObjectMetadataList' | 'PartialObjectMetadata'): { accept?: string } {
    return this.kind.metadataOnly ? { accept: `application/json;as=${as};g=meta.k8s.io;v=v1` } : {};
  }

  private emit(type: DeltaType, object: KubeObject): void {
    this.options.onDelta?.({ type, kind: this.kind.kind, object });
  }

  /** One complete paginated list. Returns the fresh objects and the list's resourceVersion. */
  private async listAll(signal?: AbortSignal): Promise<{ objects: Map<string, KubeObject>; resourceVersion: string }> {
    for (let attempt = 0; ; attempt++) {
      const objects = new Map<string, KubeObject>();
      let continueToken: string | undefined;
      let resourceVersion = '';
      try {
        do {
          const page = await this.client.request<ListPage>('GET', this.path, { query: { limit: this.pageSize, continue: continueToken }, signal, timeoutMs: 60_000, ...this.accept('PartialObjectMetadataList') });
          this.stats.pages++;
          for (const item of page.items ?? []) {
            const object = this.normalise(item);
            objects.set(objectKey(object), object);
          }
          continueToken = page.metadata?.continue || undefined;
          resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
        } while (continueToken);
        return { objects, resourceVersion };
      } catch (error) {
        // A continue token expires after a few minutes (410): start the list over, as client-go's pager does.
        if (error instanceof KubeApiError && error.isGone && attempt < 3) continue;
        throw error;
      }
    }
  }

  /** Replaces the store's content with a fresh list, reporting differences as deltas (none on the first list). */
  private async relist(signal?: AbortSignal): Promise<void> {
    this.state = 'listing';
    const first = this.stats.lists === 0;
    const { objects, resourceVersion } = await this.listAll(signal);
    this.stats.lists++;
    if (!first) {
      this.stats.relists++;
      for (const [key, object] of objects) {
        const old = this.objects.get(key);
        if (!old) this.emit('added', object);
        else if (old.metadata.resourceVersion !== object.metadata.resourceVersion) this.emit('modified', object);
      }
      for (const [key, old] of this.objects) if (!objects.has(key)) this.emit('deleted', old);
    }
    this.objects.clear();
    for (const [key, object] of objects) this.objects.set(key, object);
    this.resourceVersion = resourceVersion;
  }

  private apply(event: WatchEvent): void {
    if (event.type === 'ERROR') {
      const code = event.object.code;
      if (code === 410) throw new WatchExpired(event.object.message ?? 'resourceVersion too old');
      throw new Error(`watch error ${code ?? ''} ${event.object.reason ?? ''}: ${event.object.message ?? ''}`);
    }
    const object = event.object;
    if (object.metadata?.resourceVersion) this.resourceVersion = object.metadata.resourceVersion;
    if (event.type === 'BOOKMARK') {
      this.stats.bookmarks++;
      return;
    }
    this.stats.watchEvents++;
    this.normalise(object);
    const key = objectKey(object);
    if (event.type === 'DELETED') {
      this.objects.delete(key);
      this.emit('deleted', object);
    } else {
      const existed = this.objects.has(key);
      this.objects.set(key, object);
      this.emit(existed ? 'modified' : 'added', object);
    }
  }

  /** Runs one watch until the server ends it. Resolves normally on a clean end; throws on errors and on 410. */
  private async watchOnce(signal: AbortSignal): Promise<{ sawEvents: boolean }> {
    const timeoutSeconds = this.options.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300);
    const response = await this.client.stream(this.path, {
      query: { watch: 1, resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
      signal,
      ...this.accept('PartialObjectMetadata'),
    });
    this.watchResponse = response;
    this.state = 'watching';
    let sawEvents = false;
    let buffered = '';
    response.setEncoding('utf8');
    try {
      for await (const chunk of response as AsyncIterable<string>) {
        buffered += chunk;
        // Walk the lines by index and cut the buffer once per chunk, not once per line. After a burst (a mass
        // delete) one chunk can hold megabytes of events: give the event loop a turn every few milliseconds.
        let start = 0;
        let sliceStarted = performance.now();
        for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n', start)) {
          const line = buffered.slice(start, newline);
          start = newline + 1;
          if (line.trim() === '') continue;
          this.apply(JSON.parse(line) as WatchEvent);
          sawEvents = true;
          if (performance.now() - sliceStarted > WATCH_SLICE_MS) {
            await new Promise<void>((resolve) => setImmediate(resolve));
            sliceStarted = performance.now();
          }
        }
        buffered = buffered.slice(start);
      }
    } finally {
      this.watchResponse = undefined;
      response.destroy();
    }
    return { sawEvents };
  }

  private async watchLoop(signal: AbortSignal): Promise<void> {
    let delay = this.backoff.initialMs;
    while (!signal.aborted) {
      try {
        const { sawEvents } = await this.watchOnce(signal);
        if (sawEvents) delay = this.backoff.initialMs;
        continue;
      } catch (error) {
        if (signal.aborted) break;
        const gone = error instanceof WatchExpired || (error instanceof KubeApiError && error.isGone);
        if (gone) {
          try {
            await this.relist(signal);
            delay = this.backoff.initialMs;
            continue;
          } catch (relistError) {
            if (signal.aborted) break;
            this.lastError = (relistError as Error).message;
          }
        } else {
          this.lastError = (error as Error).message;
        }
        if (error instanceof KubeApiError && error.isForbidden) {
          this.state = 'forbidden';
          return;
        }
      }
      this.state = 'backoff';
      this.stats.reconnects++;
      const jittered = delay * (0.8 + Math.random() * 0.4);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, jittered);
        signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
      delay = Math.min(delay * 2, this.backoff.maxMs);
    }
    this.state = 'stopped';
  }

  /**
   * Lists, then (unless `watch: false`) keeps watching until `signal` aborts. Resolves once the first list is complete.
   * A kind the user may not list ends in state 'forbidden' without throwing; other list failures throw.
   */
  async start(signal: AbortSignal): Promise<void> {
    try {
      await this.relist(signal);
    } catch (error) {
      this.lastError = (error as Error).message;
      if (error instanceof KubeApiError && error.isForbidden) {
        this.state = 'forbidden';
        return;
      }
      this.state = 'failed';
      throw error;
    }
    if (this.options.watch === false) {
      this.state = 'stopped';
      return;
    }
    signal.addEventListener('abort', () => this.watchResponse?.destroy(), { once: true });
    void this.watchLoop(signal);
  }
}
