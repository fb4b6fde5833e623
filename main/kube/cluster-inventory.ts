// A cluster's inventory: one ResourceStore per kind, listed concurrently (a few at a time, so a large cluster's
// pods do not wait behind its roles), kept current by watches, readable at any moment as an InventorySnapshot.
import type { InventorySnapshot, KubeObject } from '../../shared/model/inventory.js';
import type { KubeClient } from './kube-client.js';
import { INVENTORY_KINDS, type ResourceKind } from './resource-kinds.js';
import { ResourceStore, type InventoryDelta, type StoreState } from './resource-store.js';

export interface KindCoverage {
  kind: string;
  count: number;
  state: StoreState;
  error?: string;
}

export interface ClusterInventoryOptions {
  clusterId: string;
  /** Restrict namespaced kinds to one namespace (cluster-scoped kinds are still listed). */
  namespace?: string;
  kinds?: ResourceKind[];
  watch?: boolean;
  pageSize?: number;
  concurrency?: number;
  onDelta?: (delta: InventoryDelta) => void;
}

export class ClusterInventory {
  readonly stores: ResourceStore[];
  private readonly controller = new AbortController();

  constructor(
    private readonly client: KubeClient,
    private readonly options: ClusterInventoryOptions,
  ) {
    const kinds = options.kinds ?? INVENTORY_KINDS;
    this.stores = kinds.map(
      (kind) =>
        new ResourceStore(client, kind, {
          namespace: options.namespace,
          watch: options.watch,
          pageSize: options.pageSize,
          onDelta: options.onDelta,
        }),
    );
  }

  /** Lists every kind; resolves when all first lists are complete. Watches continue until stop(). */
  async start(): Promise<void> {
    const queue = [...this.stores];
    const worker = async () => {
      for (let store = queue.shift(); store; store = queue.shift()) await store.start(this.controller.signal);
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 4, queue.length) }, worker));
  }

  stop(): void {
    this.controller.abort();
  }

  store(kind: string): ResourceStore | undefined {
    return this.stores.find((s) => s.kind.kind === kind);
  }

  objectsOf(kind: string): KubeObject[] {
    return [...(this.store(kind)?.objects.values() ?? [])];
  }

  coverage(): KindCoverage[] {
    return this.stores.map((s) => ({ kind: s.kind.kind, count: s.objects.size, state: s.state, ...(s.lastError ? { error: s.lastError } : {}) }));
  }

  snapshot(): InventorySnapshot {
    const objects: KubeObject[] = [];
    for (const store of this.stores) for (const object of store.objects.values()) objects.push(object);
    return { clusterId: this.options.clusterId, context: this.client.contextName, capturedAt: new Date().toISOString(), objects };
  }
}
