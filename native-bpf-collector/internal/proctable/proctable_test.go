package proctable

import (
	"strings"
	"testing"
)

func TestSplitArgsRedactsCredentialsOnTheCommandLine(t *testing.T) {
	args := SplitArgs([]byte("curl\x00-H\x00Authorization: Bearer sk-live-0123456789abcdefghijklmnop\x00--api-key=sk-abcdefghijklmnopqrstuvwxyz012345\x00"))
	if len(args) != 4 || args[0] != "curl" {
		t.Fatalf("args: %q", args)
	}
	joined := strings.Join(args, " ")
	if strings.Contains(joined, "0123456789abcdefghijklmnop") || strings.Contains(joined, "abcdefghijklmnopqrstuvwxyz012345") {
		t.Fatalf("a credential survived: %q", args)
	}
}
