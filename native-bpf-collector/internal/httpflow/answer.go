package httpflow

import (
	"encoding/json"
	"sort"
	"strings"
)

// answer accumulates one model response, whole or streamed, in bounded memory; each API's decoder feeds it.
type answer struct {
	model        string
	content      boundedBuilder
	calls        map[int]*callBuilder
	callOrder    []int
	finishReason string
	inputTokens  int
	outputTokens int
	errorMessage string
	// callsDropped counts tool calls past the bound; their text is not kept.
	callsDropped int
	maxCalls     int
	maxText      int
}

type callBuilder struct {
	id, name string
	args     boundedBuilder
	// initialArgs is a complete argument object announced up front (Anthropic's content_block_start input),
	// used when no argument fragments follow.
	initialArgs string
}

func newAnswer(l limits) *answer {
	return &answer{
		content:  boundedBuilder{max: l.maxText},
		calls:    map[int]*callBuilder{},
		maxCalls: l.maxMessages,
		maxText:  l.maxText,
	}
}

// call returns the tool call at a stream index, creating it; nil when the bound on tool calls is reached.
func (a *answer) call(index int) *callBuilder {
	if c, ok := a.calls[index]; ok {
		return c
	}
	if len(a.calls) >= a.maxCalls {
		a.callsDropped++
		return nil
	}
	c := &callBuilder{args: boundedBuilder{max: a.maxText}}
	a.calls[index] = c
	a.callOrder = append(a.callOrder, index)
	return c
}

// appendCall adds a complete tool call after the ones already present.
func (a *answer) appendCall(id, name, arguments string) {
	index := len(a.callOrder)
	for _, existing := range a.callOrder {
		if existing >= index {
			index = existing + 1
		}
	}
	if c := a.call(index); c != nil {
		c.id, c.name = id, name
		c.args.WriteString(arguments)
	}
}

func (a *answer) setModel(model string) {
	if model != "" {
		a.model = model
	}
}

func (a *answer) setFinish(reason string) {
	if reason != "" {
		a.finishReason = reason
	}
}

// response builds the record; the caller fills in where it was seen (host, path, status, time).
func (a *answer) response(l limits, requestModel string) *LLMResponse {
	r := &LLMResponse{
		Model:        l.short(a.model, maxModel),
		FinishReason: l.short(a.finishReason, maxFinishReason),
		InputTokens:  nonNegative(a.inputTokens),
		OutputTokens: nonNegative(a.outputTokens),
		ToolCalls:    []ToolCall{},
	}
	if r.Model == "" {
		r.Model = requestModel
	}
	if a.errorMessage != "" && a.content.Len() == 0 {
		a.content.WriteString(a.errorMessage)
	}
	r.Content = a.content.finish(l)
	order := append([]int(nil), a.callOrder...)
	sort.Ints(order)
	for _, index := range order {
		c := a.calls[index]
		args := &c.args
		if args.Len() == 0 && c.initialArgs != "" {
			args.WriteString(c.initialArgs)
		}
		r.ToolCalls = append(r.ToolCalls, ToolCall{
			ID:        l.short(c.id, maxID),
			Name:      l.short(c.name, maxName),
			Arguments: args.finish(l),
		})
	}
	if a.callsDropped > 0 {
		*l.truncated++
	}
	return r
}

func nonNegative(n int) int {
	if n < 0 {
		return 0
	}
	return n
}

// contentText flattens a message content that is either a string or a list of typed parts into readable text.
// Non-text parts become a short bracketed note so a reader knows they were there.
func contentText(raw json.RawMessage) string {
	raw = json.RawMessage(strings.TrimSpace(string(raw)))
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		return ""
	}
	var parts []contentPart
	if json.Unmarshal(raw, &parts) != nil {
		return string(raw)
	}
	var b strings.Builder
	for _, p := range parts {
		text := p.readable()
		if text == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(text)
	}
	return b.String()
}

// contentPart is a typed piece of message content in either the OpenAI or the Anthropic shape.
type contentPart struct {
	Type      string          `json:"type"`
	Text      string          `json:"text"`
	Thinking  string          `json:"thinking"`
	Refusal   string          `json:"refusal"`
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Input     json.RawMessage `json:"input"`
	ToolUseID string          `json:"tool_use_id"`
	Content   json.RawMessage `json:"content"`
	IsError   bool            `json:"is_error"`
}

func (p contentPart) readable() string {
	switch p.Type {
	case "text", "input_text", "output_text", "":
		return p.Text
	case "refusal":
		return p.Refusal
	case "thinking":
		return "[thinking] " + p.Thinking
	case "tool_use":
		return "[tool_use " + p.ID + " " + p.Name + " " + string(p.Input) + "]"
	case "tool_result":
		return "[tool_result for " + p.ToolUseID + "]"
	default:
		return "[" + p.Type + "]"
	}
}
