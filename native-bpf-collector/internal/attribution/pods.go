package attribution

import (
	"sort"
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

// Label bounds of the event schema (shared/model/event.ts): Kubernetes allows no more per key and value, and pods
// with more labels than this are rare enough that the rest are left out rather than the event refused.
const (
	maxLabels          = 64
	maxLabelKeyBytes   = 317
	maxLabelValueBytes = 63
)

func refOf(pod kube.Pod) model.PodRef {
	ref := model.PodRef{Namespace: pod.Metadata.Namespace, Name: pod.Metadata.Name, UID: pod.Metadata.UID}
	keys := make([]string, 0, len(pod.Metadata.Labels))
	for key := range pod.Metadata.Labels {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		value := pod.Metadata.Labels[key]
		if len(ref.Labels) == maxLabels || len(key) > maxLabelKeyBytes || len(value) > maxLabelValueBytes {
			continue
		}
		if ref.Labels == nil {
			ref.Labels = map[string]string{}
		}
		ref.Labels[key] = value
	}
	return ref
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
