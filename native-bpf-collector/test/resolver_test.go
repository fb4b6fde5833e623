package collectortest

import (
	"context"
	"net"
	"time"
)

type contextLike = context.Context

func lookupA(resolver *net.Resolver, name string) ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ips, err := resolver.LookupIP(ctx, "ip4", name)
	var out []string
	for _, ip := range ips {
		out = append(out, ip.String())
	}
	return out, err
}
