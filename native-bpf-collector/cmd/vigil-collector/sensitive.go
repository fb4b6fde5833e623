package main

import (
	"fmt"
	"strings"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/pipeline"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/probes"
)

// prefixList is the repeatable --sensitive-path CATEGORY=PREFIX flag.
type prefixList []probes.SensitivePrefix

func (p *prefixList) String() string { return fmt.Sprint(len(*p), " prefixes") }

func (p *prefixList) Set(value string) error {
	category, prefix, ok := strings.Cut(value, "=")
	if !ok || !strings.HasPrefix(prefix, "/") {
		return fmt.Errorf("expected CATEGORY=/absolute/prefix, got %q", value)
	}
	for i, name := range pipeline.Categories {
		if name == category {
			*p = append(*p, probes.SensitivePrefix{Prefix: prefix, Category: uint32(i)})
			return nil
		}
	}
	return fmt.Errorf("unknown category %q (one of %s)", category, strings.Join(pipeline.Categories, ", "))
}

func (p prefixList) prefixes() []probes.SensitivePrefix { return p }

// defaultSensitivePaths are the credentials an attacker in a container reaches for first.
func defaultSensitivePaths() prefixList {
	var list prefixList
	for _, entry := range []string{
		"sa-token=/var/run/secrets/kubernetes.io/",
		"sa-token=/run/secrets/kubernetes.io/",
		"sa-token=/var/run/secrets/tokens/",
		"shadow=/etc/shadow",
		"shadow=/etc/gshadow",
		"ssh-key=/root/.ssh/",
		"ssh-key=/etc/ssh/ssh_host_",
		"cloud-credential=/root/.aws/",
		"cloud-credential=/root/.config/gcloud/",
		"cloud-credential=/root/.azure/",
		"cloud-credential=/var/run/secrets/eks.amazonaws.com/",
		"kubeconfig=/root/.kube/",
		"kubeconfig=/etc/kubernetes/",
		"kubeconfig=/var/lib/kubelet/kubeconfig",
		"model=/models/",
		"model=/root/.cache/huggingface/",
	} {
		list.Set(entry)
	}
	return list
}
