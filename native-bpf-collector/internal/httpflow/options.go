package httpflow

import "time"

// Options bound what the tracker keeps. Zero values take the defaults below, which match the limits of the event
// schema (shared/model/event.ts) so records never need a second trim.
type Options struct {
	// MaxBody is the number of bytes of one message body kept for parsing; the rest is counted and skipped. A
	// compressed body inflates to at most MaxBody bytes too (a "zip bomb" stops there).
	MaxBody int
	// MaxMessages bounds messages, tools, tool results and tool calls per record.
	MaxMessages int
	// MaxText bounds every message content, tool argument and tool result, in bytes.
	MaxText int
	// MaxConnections bounds tracked connections; the least recently used one is evicted past it.
	MaxConnections int
	// MaxBufferedBytes bounds the bytes held across all connections; least recently used ones are evicted past it.
	MaxBufferedBytes int
	// IdleTimeout evicts a connection that saw no bytes for this long (measured on the timestamps given to Feed).
	IdleTimeout time.Duration
	// MaxPending bounds requests waiting for their response on one connection (pipelining).
	MaxPending int
}

const (
	defaultMaxBody          = 1 << 20
	defaultMaxMessages      = 256
	defaultMaxText          = 65_536
	defaultMaxConnections   = 8192
	defaultMaxBufferedBytes = 256 << 20
	defaultIdleTimeout      = 5 * time.Minute
	defaultMaxPending       = 64
	// maxHeaderBytes bounds a start line plus headers; real clients send a few hundred bytes.
	maxHeaderBytes = 64 << 10
)

func (o Options) withDefaults() Options {
	if o.MaxBody <= 0 {
		o.MaxBody = defaultMaxBody
	}
	if o.MaxMessages <= 0 || o.MaxMessages > defaultMaxMessages {
		o.MaxMessages = defaultMaxMessages
	}
	if o.MaxText <= 0 || o.MaxText > defaultMaxText {
		o.MaxText = defaultMaxText
	}
	if o.MaxConnections <= 0 {
		o.MaxConnections = defaultMaxConnections
	}
	if o.MaxBufferedBytes <= 0 {
		o.MaxBufferedBytes = defaultMaxBufferedBytes
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = defaultIdleTimeout
	}
	if o.MaxPending <= 0 {
		o.MaxPending = defaultMaxPending
	}
	return o
}

// Stats says what the tracker saw and what it could not keep, for the collector's metrics: loss is never silent.
type Stats struct {
	OpenConnections int `json:"openConnections"`
	BufferedBytes   int `json:"bufferedBytes"`

	HTTPRequests int64 `json:"httpRequests"`
	LLMRequests  int64 `json:"llmRequests"`
	LLMResponses int64 `json:"llmResponses"`

	// ParseFailures counts streams that broke HTTP/1.1 framing; the direction was reset and resynchronised.
	ParseFailures int64 `json:"parseFailures"`
	// NotHTTP counts connections whose bytes are not HTTP/1.x (HTTP/2, other protocols); they are ignored.
	NotHTTP int64 `json:"notHttp"`
	// SkippedBytes counts bytes dropped while resynchronising or on non-HTTP/1 connections.
	SkippedBytes int64 `json:"skippedBytes"`
	// TruncatedBodies counts bodies longer than MaxBody (or inflating past its bound); only a prefix was parsed.
	TruncatedBodies int64 `json:"truncatedBodies"`
	// TruncatedFields counts texts and lists cut to the schema bounds.
	TruncatedFields int64 `json:"truncatedFields"`
	// BodyDecodeFailures counts bodies that were not valid for their encoding or API (bad gzip, bad JSON).
	BodyDecodeFailures int64 `json:"bodyDecodeFailures"`
	// UnpairedResponses counts responses with no request waiting (the request was before the capture started).
	UnpairedResponses int64 `json:"unpairedResponses"`
	// DroppedPending counts requests forgotten without a response: pipelining past MaxPending or eviction.
	DroppedPending int64 `json:"droppedPending"`
	// EvictedIdle and EvictedPressure count connections forgotten for idleness or for the connection/byte bounds.
	EvictedIdle     int64 `json:"evictedIdle"`
	EvictedPressure int64 `json:"evictedPressure"`
}
