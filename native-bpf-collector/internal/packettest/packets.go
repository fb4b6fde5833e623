// Package packettest crafts the frames BPF_PROG_TEST_RUN feeds to the packet programs: an Ethernet header (the
// kernel strips it for cgroup_skb programs), an IPv4 or IPv6 header, a UDP or TCP header and a payload. Checksums
// are left zero: the programs under test never look at them.
package packettest

import (
	"encoding/binary"
	"net/netip"
)

const (
	TCP = 6
	UDP = 17

	FlagSYN = 0x02
	FlagACK = 0x10
)

// Packet describes one frame; Build lays it out.
type Packet struct {
	Src, Dst         netip.Addr
	SrcPort, DstPort uint16
	Protocol         uint8
	TCPFlags         uint8
	Payload          []byte
}

// Build returns the frame: Ethernet, IP, transport header and payload.
func (p Packet) Build() []byte {
	transport := p.transport()
	var ip []byte
	if p.Dst.Is4() {
		ip = make([]byte, 20)
		ip[0] = 0x45
		binary.BigEndian.PutUint16(ip[2:], uint16(20+len(transport)))
		ip[8] = 64
		ip[9] = p.Protocol
		src, dst := p.Src.As4(), p.Dst.As4()
		copy(ip[12:], src[:])
		copy(ip[16:], dst[:])
	} else {
		ip = make([]byte, 40)
		ip[0] = 0x60
		binary.BigEndian.PutUint16(ip[4:], uint16(len(transport)))
		ip[6] = p.Protocol
		ip[7] = 64
		src, dst := p.Src.As16(), p.Dst.As16()
		copy(ip[8:], src[:])
		copy(ip[24:], dst[:])
	}
	return append(append(Ethernet(p.Dst.Is4()), ip...), transport...)
}

func (p Packet) transport() []byte {
	var header []byte
	if p.Protocol == TCP {
		header = make([]byte, 20)
		header[12] = 5 << 4 // data offset: 5 words
		header[13] = p.TCPFlags
	} else {
		header = make([]byte, 8)
		binary.BigEndian.PutUint16(header[4:], uint16(8+len(p.Payload)))
	}
	binary.BigEndian.PutUint16(header[0:], p.SrcPort)
	binary.BigEndian.PutUint16(header[2:], p.DstPort)
	return append(header, p.Payload...)
}

// Ethernet is a 14-byte Ethernet header for IPv4 or IPv6.
func Ethernet(ipv4 bool) []byte {
	header := make([]byte, 14)
	copy(header[0:6], []byte{0x02, 0, 0, 0, 0, 2})
	copy(header[6:12], []byte{0x02, 0, 0, 0, 0, 1})
	if ipv4 {
		binary.BigEndian.PutUint16(header[12:], 0x0800)
	} else {
		binary.BigEndian.PutUint16(header[12:], 0x86DD)
	}
	return header
}

// DNSQuery is a standard query for one name and type (1 = A, 28 = AAAA).
func DNSQuery(id uint16, name string, qtype uint16) []byte {
	msg := []byte{byte(id >> 8), byte(id), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}
	start := 0
	for i := 0; i <= len(name); i++ {
		if i == len(name) || name[i] == '.' {
			msg = append(msg, byte(i-start))
			msg = append(msg, name[start:i]...)
			start = i + 1
		}
	}
	return append(msg, 0, byte(qtype>>8), byte(qtype), 0, 1)
}

// DNSAnswerA answers query (from DNSQuery) with one A record.
func DNSAnswerA(query []byte, addr netip.Addr) []byte {
	answer := append([]byte{}, query...)
	answer[2], answer[3], answer[7] = 0x81, 0x80, 1
	a := addr.As4()
	return append(answer, 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, a[0], a[1], a[2], a[3])
}

// TCPFramed prefixes a DNS message with its 2-byte length, as DNS over TCP sends it.
func TCPFramed(msg []byte) []byte {
	return append([]byte{byte(len(msg) >> 8), byte(len(msg))}, msg...)
}
