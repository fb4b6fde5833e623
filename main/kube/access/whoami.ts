// Who the API server takes this context's credentials to be (SelfSubjectReview, authentication.k8s.io/v1): the
// name the action log records. Servers older than 1.28 lack it; the kubeconfig's user name is recorded then, marked so.
import type { Actor } from '../../../shared/model/action.js';
import type { KubeClient } from '../kube-client.js';
import { KubeApiError } from '../kube-errors.js';

interface SelfSubjectReview {
  status?: { userInfo?: { username?: string; uid?: string; groups?: string[] } };
}

export async function whoAmI(client: KubeClient): Promise<Actor> {
  for (const version of ['v1', 'v1beta1']) {
    try {
      const review = await client.request<SelfSubjectReview>('POST', `/apis/authentication.k8s.io/${version}/selfsubjectreviews`, {
        body: { apiVersion: `authentication.k8s.io/${version}`, kind: 'SelfSubjectReview' },
      });
      const info = review.status?.userInfo ?? {};
      return { username: info.username ?? '', ...(info.uid ? { uid: info.uid } : {}), groups: info.groups ?? [], source: 'self-subject-review' };
    } catch (error) {
      if (!(error instanceof KubeApiError && error.isNotFound)) throw error;
    }
  }
  const user = client.kubeConfig.getCurrentUser();
  return { username: user?.name ?? 'unknown', source: 'kubeconfig' };
}
