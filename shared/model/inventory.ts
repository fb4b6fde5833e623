// A point-in-time view of a cluster's objects, as the Kubernetes API returns them. The engine reads NetworkPolicies,
// RBAC and pod specs with their real semantics, so the snapshot keeps the objects whole rather than a digest of them.
import { z } from 'zod';

export const kubeObjectSchema = z
  .object({
    apiVersion: z.string().max(253),
    kind: z.string().max(253),
    metadata: z
      .object({
        name: z.string().max(253),
        namespace: z.string().max(253).optional(),
        uid: z.string().max(64).optional(),
        labels: z.record(z.string(), z.string()).optional(),
        annotations: z.record(z.string(), z.string()).optional(),
        resourceVersion: z.string().optional(),
        ownerReferences: z
          .array(z.object({ apiVersion: z.string(), kind: z.string(), name: z.string(), uid: z.string() }).loose())
          .optional(),
      })
      .loose(),
  })
  .loose();
export type KubeObject = z.infer<typeof kubeObjectSchema> & { spec?: unknown; status?: unknown; [k: string]: unknown };

export const inventorySnapshotSchema = z.object({
  /** Stable cluster id: a hash of the kubeconfig file path and context name. */
  clusterId: z.string().max(128),
  context: z.string().max(253),
  capturedAt: z.string().max(40),
  objects: z.array(kubeObjectSchema),
});
export type InventorySnapshot = Omit<z.infer<typeof inventorySnapshotSchema>, 'objects'> & { objects: KubeObject[] };
