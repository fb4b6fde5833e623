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
