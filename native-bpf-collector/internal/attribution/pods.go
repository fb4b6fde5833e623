package attribution

import (
	"sync"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/kube"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/model"
)

// PodIndex maps container ids and pod uids to pods, fed by the pod watch.
type PodIndex struct {
	mu          sync.RWMutex
	byContainer map[string]model.PodRef
	byUID       map[string]model.PodRef
	synced      bool
}

func NewPodIndex() *PodIndex {
	return &PodIndex{byContainer: map[string]model.PodRef{}, byUID: map[string]model.PodRef{}}
}

func refOf(pod kube.Pod) model.PodRef {
	return model.PodRef{Namespace: pod.Metadata.Namespace, Name: pod.Metadata.Name, UID: pod.Metadata.UID}
}

func (p *PodIndex) Replace(pods []kube.Pod) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.byContainer = map[string]model.PodRef{}
	p.byUID = map[string]model.PodRef{}
	for _, pod := range pods {
		p.add(pod)
	}
	p.synced = true
}

func (p *PodIndex) Upsert(pod kube.Pod) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.add(pod)
}

func (p *PodIndex) Delete(pod kube.Pod) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.byUID, pod.Metadata.UID)
	for _, status := range append(pod.Status.ContainerStatuses, pod.Status.InitContainerStatuses...) {
		delete(p.byContainer, NormalizeContainerID(status.ContainerID))
	}
}

func (p *PodIndex) add(pod kube.Pod) {
	ref := refOf(pod)
	p.byUID[pod.Metadata.UID] = ref
	for _, status := range append(pod.Status.ContainerStatuses, pod.Status.InitContainerStatuses...) {
		if status.ContainerID != "" {
			p.byContainer[NormalizeContainerID(status.ContainerID)] = ref
		}
	}
}

// Synced tells whether the first list arrived.
func (p *PodIndex) Synced() bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.synced
}

// Find matches by container id first, then by the pod uid the cgroup path carries.
func (p *PodIndex) Find(identity CgroupIdentity) (model.PodRef, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if identity.ContainerID != "" {
		if ref, ok := p.byContainer[identity.ContainerID]; ok {
			return ref, true
		}
	}
	ref, ok := p.byUID[identity.PodUID]
	return ref, ok
}
