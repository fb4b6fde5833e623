package httpflow

import (
	"encoding/json"
)

// Anthropic Messages API (/v1/messages): content blocks, tool_use / tool_result, named SSE events.

type anthropicRequest struct {
	Model    string             `json:"model"`
	Stream   bool               `json:"stream"`
	System   json.RawMessage    `json:"system"`
	Messages []anthropicMessage `json:"messages"`
	Tools    []struct {
		Name        string `json:"name"`
		Description string `json:"description"`
		Type        string `json:"type"`
	} `json:"tools"`
}

type anthropicMessage struct {
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
}

func parseAnthropicRequest(body []byte, _ limits) (*LLMRequest, error) {
	var in anthropicRequest
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	req := &LLMRequest{Model: in.Model, Stream: in.Stream}
	if system := contentText(in.System); system != "" {
		req.Messages = append(req.Messages, Message{Role: "system", Content: system})
	}
	for _, m := range in.Messages {
		req.Messages = append(req.Messages, Message{Role: m.Role, Content: contentText(m.Content)})
		// Each tool_result block is also a message of its own that names the call it answers.
		var blocks []contentPart
		if len(m.Content) == 0 || m.Content[0] != '[' || json.Unmarshal(m.Content, &blocks) != nil {
			continue
		}
		for _, b := range blocks {
			if b.Type != "tool_result" {
				continue
			}
			result := contentText(b.Content)
			if b.IsError {
				result = "[error] " + result
			}
			req.Messages = append(req.Messages, Message{Role: m.Role, Content: result, ToolCallID: b.ToolUseID})
			req.ToolResults = append(req.ToolResults, ToolResult{ToolCallID: b.ToolUseID, Content: result})
		}
	}
	for _, t := range in.Tools {
		name := t.Name
		if name == "" {
			name = t.Type
		}
		req.Tools = append(req.Tools, Tool{Name: name, Description: t.Description})
	}
	return req, nil
}

type anthropicUsage struct {
	InputTokens              int `json:"input_tokens"`
	OutputTokens             int `json:"output_tokens"`
	CacheCreationInputTokens int `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int `json:"cache_read_input_tokens"`
}

// apply counts cached prompt tokens as input: they were part of what the model read.
func (u *anthropicUsage) apply(a *answer) {
	if u == nil {
		return
	}
	if in := u.InputTokens + u.CacheCreationInputTokens + u.CacheReadInputTokens; in > 0 {
		a.inputTokens = in
	}
	if u.OutputTokens > 0 {
		a.outputTokens = u.OutputTokens
	}
}

type anthropicResponse struct {
	Type       string          `json:"type"`
	Model      string          `json:"model"`
	Content    []contentPart   `json:"content"`
	StopReason string          `json:"stop_reason"`
	Usage      *anthropicUsage `json:"usage"`
	Error      *apiError       `json:"error"`
}

func (out *anthropicResponse) apply(a *answer) {
	a.setModel(out.Model)
	a.setFinish(out.StopReason)
	out.Usage.apply(a)
	if out.Error != nil {
		a.errorMessage = out.Error.Message
	}
	for _, block := range out.Content {
		switch block.Type {
		case "tool_use":
			a.appendCall(block.ID, block.Name, string(block.Input))
		case "text":
			a.content.WriteString(block.Text)
		}
	}
}

func anthropicWhole(a *answer, body []byte) error {
	var out anthropicResponse
	if err := json.Unmarshal(body, &out); err != nil {
		return err
	}
	out.apply(a)
	return nil
}

type anthropicStreamEvent struct {
	Type         string             `json:"type"`
	Index        int                `json:"index"`
	Message      *anthropicResponse `json:"message"`
	ContentBlock *contentPart       `json:"content_block"`
	Delta        struct {
		Type        string `json:"type"`
		Text        string `json:"text"`
		PartialJSON string `json:"partial_json"`
		StopReason  string `json:"stop_reason"`
	} `json:"delta"`
	Usage *anthropicUsage `json:"usage"`
	Error *apiError       `json:"error"`
}

// anthropicEvent folds one SSE event. Text and tool input arrive as deltas on the index of their content block.
func anthropicEvent(a *answer, data []byte) error {
	var ev anthropicStreamEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		return err
	}
	switch ev.Type {
	case "message_start":
		if ev.Message != nil {
			ev.Message.apply(a)
		}
	case "content_block_start":
		if ev.ContentBlock == nil {
			return nil
		}
		switch ev.ContentBlock.Type {
		case "tool_use", "server_tool_use":
			if c := a.call(ev.Index); c != nil {
				c.id, c.name = ev.ContentBlock.ID, ev.ContentBlock.Name
				if input := string(ev.ContentBlock.Input); input != "" && input != "{}" {
					c.initialArgs = input
				}
			}
		case "text":
			a.content.WriteString(ev.ContentBlock.Text)
		}
	case "content_block_delta":
		switch ev.Delta.Type {
		case "text_delta":
			a.content.WriteString(ev.Delta.Text)
		case "input_json_delta":
			if c := a.call(ev.Index); c != nil {
				c.args.WriteString(ev.Delta.PartialJSON)
			}
		}
	case "message_delta":
		a.setFinish(ev.Delta.StopReason)
		ev.Usage.apply(a)
	case "error":
		if ev.Error != nil {
			a.errorMessage = ev.Error.Message
		}
	}
	return nil
}
