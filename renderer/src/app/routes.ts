// The workbench's views, in the order of the investigation: where the data comes from, what happened, what can be
// done, and what is left for the record. The key is the shortcut that opens the view.
export interface ViewRoute {
  id: 'clusters' | 'graph' | 'stories' | 'timeline' | 'posture' | 'policies' | 'response' | 'evidence' | 'inventory' | 'enforcement';
  label: string;
  key: string;
  description: string;
}

export const viewRoutes: ViewRoute[] = [
  { id: 'clusters', label: 'Clusters', key: '1', description: 'Contexts, connections and collector health' },
  { id: 'graph', label: 'Graph', key: '2', description: 'Agent → tool → API → data → identity, as executed' },
  { id: 'stories', label: 'Stories', key: '3', description: 'Correlated attack stories, by severity and time' },
  { id: 'timeline', label: 'Timeline', key: '4', description: 'Every event of an entity or a story over time' },
  { id: 'posture', label: 'Posture', key: '5', description: 'Allowed versus observed, and blast radius' },
  { id: 'policies', label: 'Policies', key: '6', description: 'Least-privilege policies generated from evidence' },
  { id: 'response', label: 'Response', key: '7', description: 'Soft and hard quarantine, release, action log' },
  { id: 'evidence', label: 'Evidence', key: '8', description: 'Signed bundles, reports and the auditor walkthrough' },
  { id: 'inventory', label: 'AI inventory', key: '9', description: 'AI workloads found at runtime, shadow AI, the AI-BOM' },
  { id: 'enforcement', label: 'Enforcement', key: '0', description: 'Observe → audit → enforce ladder per workload, violations, coverage' },
];

export function routeFromHash(hash: string): ViewRoute {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return viewRoutes.find((r) => r.id === id) ?? viewRoutes[0]!;
}
