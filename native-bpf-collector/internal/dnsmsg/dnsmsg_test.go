package dnsmsg

import "testing"

func TestParsesQueryAndCompressedAnswer(t *testing.T) {
	query := []byte{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
		3, 'a', 'p', 'i', 6, 'o', 'p', 'e', 'n', 'a', 'i', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1}
	parsed, err := Parse(query)
	if err != nil || parsed.QueryName != "api.openai.com" || parsed.QueryType != "A" || parsed.Response {
		t.Fatalf("query parsed as %+v, %v", parsed, err)
	}
	answer := append([]byte{}, query...)
	answer[2], answer[3], answer[7] = 0x81, 0x80, 1
	answer = append(answer, 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 203, 0, 113, 10)
	parsed, err = Parse(answer)
	if err != nil || !parsed.Response || parsed.Rcode != "NOERROR" || len(parsed.Answers) != 1 || parsed.Answers[0] != "203.0.113.10" {
		t.Fatalf("answer parsed as %+v, %v", parsed, err)
	}
}

func TestRefusesTruncatedAndLoopingNames(t *testing.T) {
	if _, err := Parse([]byte{1, 2, 3}); err == nil {
		t.Fatal("a 3-byte message parsed")
	}
	loop := []byte{0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1}
	if _, err := Parse(loop); err == nil {
		t.Fatal("a self-referencing name parsed")
	}
}

func TestParsesTCPSegments(t *testing.T) {
	query := []byte{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
		3, 'a', 'p', 'i', 6, 'o', 'p', 'e', 'n', 'a', 'i', 3, 'c', 'o', 'm', 0, 0, 28, 0, 1}
	framed := append([]byte{0, byte(len(query))}, query...)
	parsed, err := ParseTCPSegment(framed)
	if err != nil || parsed.QueryName != "api.openai.com" || parsed.QueryType != "AAAA" {
		t.Fatalf("length-prefixed query parsed as %+v, %v", parsed, err)
	}
	// Two messages in one segment: the first is read, the rest ignored.
	if parsed, err = ParseTCPSegment(append(append([]byte{}, framed...), framed...)); err != nil || parsed.QueryName != "api.openai.com" {
		t.Fatalf("pipelined queries parsed as %+v, %v", parsed, err)
	}
	// The length written alone, then the message in the next segment.
	if _, err = ParseTCPSegment(framed[:2]); err != ErrLengthOnly {
		t.Fatalf("a length-only segment gave %v, want ErrLengthOnly", err)
	}
	if parsed, err = ParseTCPSegment(query); err != nil || parsed.QueryName != "api.openai.com" {
		t.Fatalf("a message without its prefix parsed as %+v, %v", parsed, err)
	}
	// A prefix that claims more than was captured: what was captured is parsed.
	long := append([]byte{0x02, 0x00}, query...)
	if parsed, err = ParseTCPSegment(long); err != nil || parsed.QueryName != "api.openai.com" {
		t.Fatalf("a cut message parsed as %+v, %v", parsed, err)
	}
	for _, hostile := range [][]byte{{}, {0}, {0, 12, 1, 2, 3}, {0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}} {
		if _, err := ParseTCPSegment(hostile); err == nil {
			t.Fatalf("segment %v parsed", hostile)
		}
	}
}
