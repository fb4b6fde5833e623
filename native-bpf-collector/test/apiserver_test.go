package collectortest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// podAPI is a stand-in for the two Kubernetes API calls the collector makes (list and watch pods), serving Pod
// objects shaped like the kubelet reports them. The lab integration tests run the same collector against a real
// kube-apiserver; here the test needs pods whose container ids match cgroups it creates itself.
type podAPI struct {
	server *httptest.Server
	mu     sync.Mutex
	pods   []map[string]any
}

func newPodAPI(t *testing.T) *podAPI {
	api := &podAPI{}
	api.server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/pods" {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("watch") != "" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(200)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
			return
		}
		api.mu.Lock()
		defer api.mu.Unlock()
		json.NewEncoder(w).Encode(map[string]any{"kind": "PodList", "metadata": map[string]any{"resourceVersion": "1"}, "items": api.pods})
	}))
	t.Cleanup(api.server.Close)
	return api
}

func (a *podAPI) addPod(namespace, name string, cg testCgroup) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pods = append(a.pods, map[string]any{
		"metadata": map[string]any{"namespace": namespace, "name": name, "uid": cg.PodUID, "labels": map[string]string{"app": name, "vigil.dev/test": "yes"}},
		"spec":     map[string]any{"nodeName": "lab-node-2"},
		"status": map[string]any{"containerStatuses": []map[string]any{
			{"name": "main", "containerID": "containerd://" + cg.ContainerID},
		}},
	})
}

func (a *podAPI) kubeconfig(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "kubeconfig")
	config := fmt.Sprintf(`apiVersion: v1
kind: Config
current-context: test
clusters:
- name: test
  cluster:
    server: %s
    insecure-skip-tls-verify: true
users:
- name: test
  user:
    token: test-token
contexts:
- name: test
  context:
    cluster: test
    user: test
`, a.server.URL)
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
