package probes

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/packettest"
)

const mcpInitialize = `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"agent","version":"1"}}}`

func mcpRequest(body string) []byte {
	return []byte("POST /mcp HTTP/1.1\r\nHost: tools:8080\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n" +
		"Content-Length: " + itoa(len(body)) + "\r\n\r\n" + body)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var digits []byte
	for ; n > 0; n /= 10 {
		digits = append([]byte{byte('0' + n%10)}, digits...)
	}
	return string(digits)
}

func (d *dnsUnderTest) runMCP(t *testing.T, ingress bool, frame []byte) *MCPHTTPEvent {
	t.Helper()
	raw := d.runRaw(t, ingress, frame)
	if raw == nil {
		return nil
	}
	if kind, _ := RecordKind(raw); kind != KindMCPHTTP {
		t.Fatalf("a record of kind %d, not an MCP candidate", kind)
	}
	e, err := View[MCPHTTPEvent](raw)
	if err != nil {
		t.Fatal(err)
	}
	copied := *e
	return &copied
}

func tcpTo(port uint16, payload []byte) packettest.Packet {
	return packettest.Packet{Src: client4, Dst: resolver4, SrcPort: 40000, DstPort: port, Protocol: packettest.TCP, TCPFlags: packettest.FlagACK | 0x08, Payload: payload}
}

func TestPacketProgramsSendUpPossibleMCPInitializeRequests(t *testing.T) {
	d := loadDNSUnderTest(t)
	// "initialize" at every alignment of a word: the body behind headers of growing length.
	for pad := 0; pad < 9; pad++ {
		request := mcpRequest(strings.Repeat(" ", pad) + mcpInitialize)
		e := d.runMCP(t, false, tcpTo(8080, request).Build())
		if e == nil {
			t.Fatalf("pad %d: an MCP initialize over HTTP was not sent up", pad)
		}
		if e.Dport != 8080 || e.Ingress != 0 || !bytes.Equal(e.Payload[:e.PayloadLen], request) {
			t.Fatalf("pad %d: event ports %d→%d ingress %d, payload %q", pad, e.Sport, e.Dport, e.Ingress, e.Payload[:e.PayloadLen])
		}
	}
	// The body in a segment of its own, received by the server (ingress: no process context).
	e := d.runMCP(t, true, tcpTo(8080, []byte(mcpInitialize)).Build())
	if e == nil || e.Ingress != 1 || e.H.Pid != 0 {
		t.Fatalf("a received initialize body: %+v", e)
	}
	// A JSON-RPC batch.
	if d.runMCP(t, false, tcpTo(8080, []byte("["+mcpInitialize+"]")).Build()) == nil {
		t.Fatal("a batched initialize was not sent up")
	}
	// The 2026 revision has no initialize; its requests carry the protocol version in _meta (Python SDK 2.3's bytes).
	discover := `{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"mcp","version":"0.1.0"},"io.modelcontextprotocol/clientCapabilities":{}}}}`
	if d.runMCP(t, false, tcpTo(8080, mcpRequest(discover)).Build()) == nil {
		t.Fatal("a 2026-revision discover request was not sent up")
	}
	// Beyond the scanned bytes: not seen (a documented limit: headers longer than 1 KiB).
	long := []byte("POST /mcp HTTP/1.1\r\nX-Pad: " + strings.Repeat("p", 1100) + "\r\n\r\n" + mcpInitialize)
	if e := d.runMCP(t, false, tcpTo(8080, long).Build()); e != nil {
		t.Fatalf("a request whose body starts after %d bytes was sent up; the scan reads %d", len(long)-len(mcpInitialize), 1024)
	}
}

func TestPacketProgramsLeaveOtherTCPTrafficAlone(t *testing.T) {
	d := loadDNSUnderTest(t)
	for name, payload := range map[string][]byte{
		"a GET":                               []byte("GET /initialize HTTP/1.1\r\nHost: x\r\n\r\n"),
		"a POST without the word":             mcpRequest(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search"}}`),
		"a TLS record":                        append([]byte{0x17, 0x03, 0x03, 0x00, 0x40}, []byte(`"initialize"`)...),
		"binary data":                         bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 100),
		"a body starting elsewhere":           []byte(`xx"initialize"`),
		"an ACK":                              nil,
		"three bytes":                         []byte("POS"),
		"a quote-i-n split by the scan's end": append(append([]byte("POST /"), bytes.Repeat([]byte("a"), 1017)...), []byte(`"in`)...),
	} {
		if raw := d.runRaw(t, false, tcpTo(8080, payload).Build()); raw != nil {
			t.Errorf("%s: sent up a record of %d bytes", name, len(raw))
		}
	}
	// Malformed TCP headers: a data offset below 5 words is refused; one beyond the packet is read safely.
	frame := tcpTo(8080, mcpRequest(mcpInitialize)).Build()
	for _, words := range []byte{0, 1, 4, 15} {
		broken := append([]byte{}, frame...)
		broken[14+20+12] = words << 4
		if raw := d.runRaw(t, false, broken); raw != nil && words < 5 {
			t.Errorf("data offset %d words: sent up a record", words)
		}
	}
	short := tcpTo(8080, []byte("POST")).Build()
	short[14+20+12] = 15 << 4
	if raw := d.runRaw(t, false, short); raw != nil {
		t.Error("a data offset beyond the packet sent up a record")
	}
}
