package probes

import (
	"testing"
	"unsafe"
)

// The Go views of the records must have the C layouts: bpf2go generated the full structs from the C source; the
// hand-written TLSHeader must end exactly where tls_event's data begins.
func TestTLSHeaderMatchesTheCLayout(t *testing.T) {
	if got, want := unsafe.Sizeof(TLSHeader{}), unsafe.Offsetof(TLSEvent{}.Data); got != want {
		t.Fatalf("TLSHeader is %d bytes, tls_event data starts at %d", got, want)
	}
	if unsafe.Offsetof(TLSHeader{}.Conn) != unsafe.Offsetof(TLSEvent{}.Conn) || unsafe.Offsetof(TLSHeader{}.Direction) != unsafe.Offsetof(TLSEvent{}.Direction) {
		t.Fatal("TLSHeader fields are not where tls_event has them")
	}
	raw := make([]byte, unsafe.Offsetof(TLSEvent{}.Data)+3)
	raw[unsafe.Offsetof(TLSEvent{}.Len)] = 3
	copy(raw[len(raw)-3:], "GET")
	header, data, err := TLSPayload(raw)
	if err != nil || header.Len != 3 || string(data) != "GET" {
		t.Fatalf("decoded %+v %q %v", header, data, err)
	}
	if _, _, err := TLSPayload(raw[:len(raw)-1]); err == nil {
		t.Fatal("a record shorter than its length field decoded")
	}
}
