// Package dnsmsg parses the parts of a DNS message the collector reports: the first question and, for answers,
// the rcode and the A/AAAA/CNAME records. It refuses malformed messages instead of guessing.
package dnsmsg

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"
)

type Message struct {
	ID        uint16
	Response  bool
	Rcode     string
	QueryName string
	QueryType string
	Answers   []string // addresses and CNAME targets, in order
	Addresses []netip.Addr
}

var errMalformed = errors.New("malformed DNS message")

var rcodes = []string{"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"}

var types = map[uint16]string{1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 15: "MX", 16: "TXT", 28: "AAAA", 33: "SRV", 65: "HTTPS", 255: "ANY"}

func typeName(t uint16) string {
	if name, ok := types[t]; ok {
		return name
	}
	return "TYPE" + strconv.Itoa(int(t))
}

func Parse(msg []byte) (Message, error) {
	if len(msg) < 12 {
		return Message{}, errMalformed
	}
	out := Message{ID: uint16(msg[0])<<8 | uint16(msg[1]), Response: msg[2]&0x80 != 0}
	rcode := int(msg[3] & 0x0F)
	if rcode < len(rcodes) {
		out.Rcode = rcodes[rcode]
	} else {
		out.Rcode = "RCODE" + strconv.Itoa(rcode)
	}
	questions := int(msg[4])<<8 | int(msg[5])
	answers := int(msg[6])<<8 | int(msg[7])
	if questions < 1 {
		return Message{}, errMalformed
	}
	offset := 12
	name, next, err := readName(msg, offset)
	if err != nil || next+4 > len(msg) {
		return Message{}, errMalformed
	}
	out.QueryName = name
	out.QueryType = typeName(uint16(msg[next])<<8 | uint16(msg[next+1]))
	offset = next + 4
	for q := 1; q < questions; q++ {
		if _, next, err = readName(msg, offset); err != nil || next+4 > len(msg) {
			return Message{}, errMalformed
		}
		offset = next + 4
	}
	out.Answers = []string{}
	for a := 0; a < answers && len(out.Answers) < 64; a++ {
		_, next, err := readName(msg, offset)
		if err != nil || next+10 > len(msg) {
			break // answers cut off by the capture size: keep what was read
		}
		rrType := uint16(msg[next])<<8 | uint16(msg[next+1])
		length := int(msg[next+8])<<8 | int(msg[next+9])
		data := next + 10
		if data+length > len(msg) {
			break
		}
		switch {
		case rrType == 1 && length == 4:
			addr := netip.AddrFrom4([4]byte(msg[data : data+4]))
			out.Addresses = append(out.Addresses, addr)
			out.Answers = append(out.Answers, addr.String())
		case rrType == 28 && length == 16:
			addr := netip.AddrFrom16([16]byte(msg[data : data+16]))
			out.Addresses = append(out.Addresses, addr)
			out.Answers = append(out.Answers, addr.String())
		case rrType == 5:
			if target, _, err := readName(msg, data); err == nil {
				out.Answers = append(out.Answers, target)
			}
		}
		offset = data + length
	}
	return out, nil
}

// readName reads a possibly compressed name at offset and returns it and the offset after it.
func readName(msg []byte, offset int) (string, int, error) {
	var labels []string
	end := -1
	for jumps := 0; jumps < 32; {
		if offset >= len(msg) {
			return "", 0, errMalformed
		}
		length := int(msg[offset])
		switch {
		case length == 0:
			if end < 0 {
				end = offset + 1
			}
			name := strings.Join(labels, ".")
			if len(name) > 253 {
				return "", 0, errMalformed
			}
			return name, end, nil
		case length&0xC0 == 0xC0:
			if offset+1 >= len(msg) {
				return "", 0, errMalformed
			}
			if end < 0 {
				end = offset + 2
			}
			offset = (length&0x3F)<<8 | int(msg[offset+1])
			jumps++
		case length > 63:
			return "", 0, errMalformed
		default:
			if offset+1+length > len(msg) {
				return "", 0, errMalformed
			}
			labels = append(labels, string(msg[offset+1:offset+1+length]))
			offset += 1 + length
		}
	}
	return "", 0, errMalformed
}

// ErrLengthOnly is returned for a TCP segment that holds only the 2-byte length prefix: some resolvers write the
// length and the message separately, and the message comes in the next segment.
var ErrLengthOnly = errors.New("DNS over TCP: a segment with the length prefix alone")

// ParseTCPSegment parses the DNS message at the start of a TCP segment to or from port 53 (RFC 1035 4.2.2: a 2-byte
// length, then the message). A segment that carries the message without its prefix (written apart from it) is
// parsed as a bare message. The segment may be cut by the capture size: answers beyond it are left out.
func ParseTCPSegment(segment []byte) (Message, error) {
	if len(segment) <= 2 {
		return Message{}, ErrLengthOnly
	}
	length := int(segment[0])<<8 | int(segment[1])
	if length >= 12 {
		body := segment[2:]
		if len(body) > length {
			body = body[:length]
		}
		if message, err := Parse(body); err == nil {
			return message, nil
		}
	}
	return Parse(segment)
}
