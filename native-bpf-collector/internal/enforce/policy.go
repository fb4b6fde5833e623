// Package enforce applies node-level egress policies to containers: a cgroup_skb/egress program attached to the
// container's cgroup with its link pinned in bpffs, so enforcement survives a collector restart and is removed only
// by an explicit release.
package enforce

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
)

// Request is the body of PUT /v1/enforcement/<containerId> (schema shared/collector-api EnforcementRequest).
type Request struct {
	// Mode: "audit" counts what would be dropped, "enforce" drops it, "off" keeps the program attached but inert.
	Mode string `json:"mode"`
	// Policy: "allowlist" (soft quarantine: only the listed destinations, plus DNS) or "deny-all-but-dns"
	// (hard quarantine: nothing but DNS to the cluster resolver).
	Policy string `json:"policy"`
	// Allow lists destinations for the allowlist policy.
	Allow []Destination `json:"allow,omitempty"`
	// DNSServer is the resolver DNS may go to; empty allows any destination on port 53.
	DNSServer string `json:"dnsServer,omitempty"`
}

type Destination struct {
	CIDR  string   `json:"cidr"`
	Ports []uint16 `json:"ports,omitempty"` // empty: every port
}

const (
	maxDestinations = 256
	maxPorts        = 8
)

// ParseRequest decodes and validates a request body strictly: unknown fields, bad CIDRs and impossible
// combinations are errors that say what to fix.
func ParseRequest(body []byte) (Request, error) {
	var req Request
	decoder := json.NewDecoder(bytes.NewReader(body))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&req); err != nil {
		return Request{}, fmt.Errorf("body is not a valid enforcement request: %v", err)
	}
	if decoder.More() {
		return Request{}, fmt.Errorf("body holds more than one JSON value")
	}
	switch req.Mode {
	case "audit", "enforce", "off":
	default:
		return Request{}, fmt.Errorf("mode must be audit, enforce or off, got %q", req.Mode)
	}
	switch req.Policy {
	case "allowlist":
	case "deny-all-but-dns":
		if len(req.Allow) > 0 {
			return Request{}, fmt.Errorf("policy deny-all-but-dns takes no allow list; use policy allowlist")
		}
	default:
		return Request{}, fmt.Errorf("policy must be allowlist or deny-all-but-dns, got %q", req.Policy)
	}
	if len(req.Allow) > maxDestinations {
		return Request{}, fmt.Errorf("at most %d allowed destinations, got %d", maxDestinations, len(req.Allow))
	}
	for _, d := range req.Allow {
		if _, err := netip.ParsePrefix(d.CIDR); err != nil {
			if _, err2 := netip.ParseAddr(d.CIDR); err2 != nil {
				return Request{}, fmt.Errorf("allow entry %q is neither a CIDR nor an address", d.CIDR)
			}
		}
		if len(d.Ports) > maxPorts {
			return Request{}, fmt.Errorf("allow entry %s lists %d ports, at most %d", d.CIDR, len(d.Ports), maxPorts)
		}
		for _, port := range d.Ports {
			if port == 0 {
				return Request{}, fmt.Errorf("allow entry %s lists port 0; leave ports out to allow every port", d.CIDR)
			}
		}
	}
	if req.DNSServer != "" {
		if _, err := netip.ParseAddr(req.DNSServer); err != nil {
			return Request{}, fmt.Errorf("dnsServer %q is not an IP address", req.DNSServer)
		}
	}
	return req, nil
}

// prefixOf turns "a.b.c.d/n", "a.b.c.d", or an IPv6 form into a 16-byte address and a prefix length over 128 bits
// (IPv4 as ::ffff:a.b.c.d, which is how the BPF program sees it).
func prefixOf(text string) ([16]byte, int) {
	prefix, err := netip.ParsePrefix(text)
	if err != nil {
		addr := netip.MustParseAddr(text)
		prefix = netip.PrefixFrom(addr, addr.BitLen())
	}
	bits := prefix.Bits()
	if prefix.Addr().Is4() {
		bits += 96
	}
	return prefix.Masked().Addr().As16(), bits
}
