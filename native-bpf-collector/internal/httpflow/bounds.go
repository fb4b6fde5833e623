package httpflow

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/redact"
)

// Schema bounds of short fields (shared/model/event.ts).
const (
	maxRole         = 32
	maxName         = 256
	maxID           = 256
	maxModel        = 256
	maxHost         = 253
	maxPath         = 4096
	maxMethod       = 16
	maxDescription  = 4096
	maxFinishReason = 64
	// redactionSlack is text kept past a bound so a secret straddling the cut is still recognised and redacted
	// whole before the cut is made.
	redactionSlack = 1024
)

// limits applies the tracker's bounds to record fields and counts what it cut.
type limits struct {
	maxText     int
	maxMessages int
	truncated   *int64
}

// clean makes s valid UTF-8 (invalid bytes become U+FFFD, as any JSON or protobuf encoder would make them, but
// before the bounds are applied, so the bounds hold on the wire) and redacts it.
func clean(s string) string {
	return redact.Text(strings.ToValidUTF8(s, "\uFFFD"))
}

// text cleans s, then cuts it to max bytes (on a UTF-8 boundary) ending with a marker that says how much was cut.
func (l limits) text(s string, max int) string {
	s = clean(s)
	if len(s) <= max {
		return s
	}
	*l.truncated++
	return cut(s, max, len(s))
}

// cut shortens s to at most max bytes including a marker that reports the original length total.
func cut(s string, max, total int) string {
	marker := "…[truncated by vigil: " + strconv.Itoa(total) + " bytes in all]"
	if max <= len(marker) {
		return truncateUTF8(marker, max)
	}
	return truncateUTF8(s, max-len(marker)) + marker
}

// short bounds a name-like field without a marker: ids and names are compared, not read.
func (l limits) short(s string, max int) string {
	s = clean(s)
	if len(s) <= max {
		return s
	}
	*l.truncated++
	return truncateUTF8(s, max)
}

func (l limits) body(s string) string { return l.text(s, l.maxText) }

func truncateUTF8(s string, max int) string {
	if len(s) <= max {
		return s
	}
	end := max
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end]
}

// messages keeps the first message (usually the system prompt) and the most recent ones, with a marker message
// between them saying how many were left out.
func (l limits) messages(ms []Message) []Message {
	if len(ms) <= l.maxMessages {
		return ms
	}
	*l.truncated++
	if l.maxMessages < 3 {
		return ms[len(ms)-l.maxMessages:]
	}
	tail := l.maxMessages - 2
	omitted := len(ms) - 1 - tail
	out := make([]Message, 0, l.maxMessages)
	out = append(out, ms[0], Message{Role: "vigil", Content: "[" + strconv.Itoa(omitted) + " messages omitted by vigil]"})
	return append(out, ms[len(ms)-tail:]...)
}

func boundList[T any](l limits, items []T) []T {
	if len(items) <= l.maxMessages {
		return items
	}
	*l.truncated++
	return items[:l.maxMessages]
}

// boundedBuilder accumulates streamed text (SSE deltas) keeping at most max+redactionSlack bytes.
type boundedBuilder struct {
	b       strings.Builder
	max     int
	dropped int
}

func (b *boundedBuilder) WriteString(s string) {
	if s == "" {
		return
	}
	room := b.max + redactionSlack - b.b.Len()
	if room <= 0 {
		b.dropped += len(s)
		return
	}
	if len(s) > room {
		b.dropped += len(s) - room
		s = truncateUTF8(s, room)
	}
	b.b.WriteString(s)
}

func (b *boundedBuilder) Len() int { return b.b.Len() + b.dropped }

// finish redacts and bounds the accumulated text.
func (b *boundedBuilder) finish(l limits) string {
	s := clean(b.b.String())
	if len(s) <= b.max && b.dropped == 0 {
		return s
	}
	*l.truncated++
	return cut(s, b.max, b.b.Len()+b.dropped)
}
