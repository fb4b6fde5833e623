// Package httpflow turns plaintext chunks captured from TLS libraries (SSL_write / SSL_read, cut at arbitrary
// boundaries, many connections interleaved) into HTTP and LLM API records.
//
// Every string in a record has been through redact.Text and is bounded like the matching event details in
// shared/model/event.ts, so records can be put on the wire as they are.
package httpflow

import "time"

// Direction says who wrote the bytes: Egress was written by the observed process (SSL_write), Ingress was read by
// it (SSL_read).
type Direction uint8

const (
	Egress Direction = iota
	Ingress
)

func (d Direction) String() string {
	if d == Egress {
		return "egress"
	}
	return "ingress"
}

// ConnKey identifies one connection of one process: the SSL* pointer or socket cookie is unique while it lives.
type ConnKey struct {
	PID  uint32
	Conn uint64
}

// Record is one of *HTTPRequest, *LLMRequest or *LLMResponse.
type Record interface{ isRecord() }

// HTTPRequest is a request/response exchange that is not an LLM API call (event kind http.request).
type HTTPRequest struct {
	Host   string `json:"host"`
	Method string `json:"method"`
	Path   string `json:"path"`
	// Status is 0 when the connection closed before a response arrived.
	Status int `json:"status,omitempty"`
	// Bytes counts the message bodies of both the request and the response as they crossed the wire.
	Bytes int64     `json:"bytes"`
	At    time.Time `json:"-"`
	// Inbound is true when the observed process received the request (it is the server).
	Inbound bool `json:"-"`
}

// LLMRequest is a call to an LLM API (event kind llm.request), emitted as soon as the request body is complete.
type LLMRequest struct {
	Provider    string       `json:"provider"`
	Host        string       `json:"host"`
	Path        string       `json:"path"`
	Model       string       `json:"model"`
	Stream      bool         `json:"stream"`
	Messages    []Message    `json:"messages"`
	Tools       []Tool       `json:"tools"`
	ToolResults []ToolResult `json:"toolResults"`
	At          time.Time    `json:"-"`
	Inbound     bool         `json:"-"`
}

// LLMResponse is the model's answer to an LLMRequest (event kind llm.response); streamed answers are reassembled.
type LLMResponse struct {
	Provider string `json:"provider"`
	Host     string `json:"host"`
	Path     string `json:"path"`
	Status   int    `json:"status"`
	Model    string `json:"model"`
	// Content is the text the model produced, or the API's error message when Status is not 2xx.
	Content      string     `json:"content"`
	ToolCalls    []ToolCall `json:"toolCalls"`
	FinishReason string     `json:"finishReason,omitempty"`
	InputTokens  int        `json:"inputTokens,omitempty"`
	OutputTokens int        `json:"outputTokens,omitempty"`
	At           time.Time  `json:"-"`
	Inbound      bool       `json:"-"`
	// Request is the record this response answers on the same connection, so the caller can link event ids.
	Request *LLMRequest `json:"-"`
}

type Message struct {
	Role       string `json:"role"`
	Content    string `json:"content"`
	ToolCallID string `json:"toolCallId,omitempty"`
	Name       string `json:"name,omitempty"`
}

type Tool struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

type ToolResult struct {
	ToolCallID string `json:"toolCallId"`
	Content    string `json:"content"`
}

type ToolCall struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

func (*HTTPRequest) isRecord() {}
func (*LLMRequest) isRecord()  {}
func (*LLMResponse) isRecord() {}

// Provider names as in event.ts.
const (
	ProviderOpenAI    = "openai"
	ProviderAnthropic = "anthropic"
	ProviderUnknown   = "unknown"
)
