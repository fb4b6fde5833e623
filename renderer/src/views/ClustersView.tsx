import { EmptyState } from '../app/EmptyState.js';

export function ClustersView() {
  return (
    <EmptyState title="No cluster connected yet" command="vigil lab up">
      <p>
        Vigil reads the contexts of your kubeconfig files (<code>KUBECONFIG</code> or <code>~/.kube/config</code>) and connects to
        the Vigil collector on each node. On Linux as root, the command below starts a local lab cluster with AI agents to
        explore.
      </p>
    </EmptyState>
  );
}
