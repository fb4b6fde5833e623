package httpflow

import (
	"encoding/json"
	"strings"
)

// OpenAI Chat Completions (/v1/chat/completions) and its many compatible servers (vLLM, Ollama, LiteLLM, ...).

type openAIChatRequest struct {
	Model     string              `json:"model"`
	Stream    bool                `json:"stream"`
	Messages  []openAIChatMessage `json:"messages"`
	Tools     []openAITool        `json:"tools"`
	Functions []openAIFunctionDef `json:"functions"` // the deprecated form of tools
	Prompt    json.RawMessage     `json:"prompt"`    // legacy /v1/completions
}

type openAIChatMessage struct {
	Role         string           `json:"role"`
	Content      json.RawMessage  `json:"content"`
	Name         string           `json:"name"`
	ToolCallID   string           `json:"tool_call_id"`
	ToolCalls    []openAIToolCall `json:"tool_calls"`
	FunctionCall *openAIFunction  `json:"function_call"`
	Refusal      string           `json:"refusal"`
}

type openAITool struct {
	Type     string            `json:"type"`
	Function openAIFunctionDef `json:"function"`
	// The Responses API puts the function's name and description at the top level.
	Name        string `json:"name"`
	Description string `json:"description"`
}

type openAIFunctionDef struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

type openAIToolCall struct {
	Index    *int           `json:"index"`
	ID       string         `json:"id"`
	Type     string         `json:"type"`
	Function openAIFunction `json:"function"`
}

type openAIFunction struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

func parseOpenAIChatRequest(body []byte, l limits) (*LLMRequest, error) {
	var in openAIChatRequest
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	req := &LLMRequest{Model: in.Model, Stream: in.Stream}
	for _, m := range in.Messages {
		msg := Message{Role: m.Role, Content: contentText(m.Content), Name: m.Name, ToolCallID: m.ToolCallID}
		if m.Refusal != "" && msg.Content == "" {
			msg.Content = m.Refusal
		}
		calls := m.ToolCalls
		if m.FunctionCall != nil {
			calls = append(calls, openAIToolCall{Function: *m.FunctionCall})
		}
		// The assistant's earlier tool calls are part of what the model is shown again: keep them readable.
		for _, c := range calls {
			msg.Content = joinLines(msg.Content, "[tool_call "+c.ID+" "+c.Function.Name+" "+c.Function.Arguments+"]")
		}
		if m.Role == "tool" || m.Role == "function" {
			id := m.ToolCallID
			if id == "" {
				id = m.Name
			}
			req.ToolResults = append(req.ToolResults, ToolResult{ToolCallID: id, Content: msg.Content})
		}
		req.Messages = append(req.Messages, msg)
	}
	if len(in.Messages) == 0 && len(in.Prompt) > 0 {
		req.Messages = append(req.Messages, Message{Role: "user", Content: promptText(in.Prompt)})
	}
	for _, t := range in.Tools {
		req.Tools = append(req.Tools, openAIToolDef(t))
	}
	for _, f := range in.Functions {
		req.Tools = append(req.Tools, Tool{Name: f.Name, Description: f.Description})
	}
	return req, nil
}

func openAIToolDef(t openAITool) Tool {
	switch {
	case t.Function.Name != "":
		return Tool{Name: t.Function.Name, Description: t.Function.Description}
	case t.Name != "":
		return Tool{Name: t.Name, Description: t.Description}
	default:
		return Tool{Name: t.Type} // a built-in tool such as web_search or code_interpreter
	}
}

func promptText(raw json.RawMessage) string {
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.Join(list, "\n")
	}
	return contentText(raw)
}

func joinLines(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n" + b
}

type openAIChatResponse struct {
	Model   string         `json:"model"`
	Choices []openAIChoice `json:"choices"`
	Usage   *openAIUsage   `json:"usage"`
	Error   *apiError      `json:"error"`
}

type openAIChoice struct {
	Index        int               `json:"index"`
	Message      openAIChatMessage `json:"message"`
	Delta        openAIChatMessage `json:"delta"`
	Text         string            `json:"text"` // legacy completions
	FinishReason string            `json:"finish_reason"`
}

type openAIUsage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	InputTokens      int `json:"input_tokens"`
	OutputTokens     int `json:"output_tokens"`
}

type apiError struct {
	Message string `json:"message"`
	Type    string `json:"type"`
}

// UnmarshalJSON accepts an error given as a plain string, as some compatible servers do.
func (e *apiError) UnmarshalJSON(p []byte) error {
	var s string
	if json.Unmarshal(p, &s) == nil {
		e.Message = s
		return nil
	}
	type plain apiError
	return json.Unmarshal(p, (*plain)(e))
}

func (u *openAIUsage) apply(a *answer) {
	if u == nil {
		return
	}
	a.inputTokens = u.PromptTokens + u.InputTokens
	a.outputTokens = u.CompletionTokens + u.OutputTokens
}

// openAIChatWhole reads a non-streamed Chat Completions answer.
func openAIChatWhole(a *answer, body []byte) error {
	var out openAIChatResponse
	if err := json.Unmarshal(body, &out); err != nil {
		return err
	}
	a.setModel(out.Model)
	out.Usage.apply(a)
	if out.Error != nil {
		a.errorMessage = out.Error.Message
	}
	for _, choice := range out.Choices {
		if choice.Index != 0 {
			continue // n>1 alternatives: the first is the one an agent acts on
		}
		a.setFinish(choice.FinishReason)
		a.content.WriteString(contentText(choice.Message.Content))
		a.content.WriteString(choice.Text)
		if choice.Message.Refusal != "" {
			a.content.WriteString(choice.Message.Refusal)
		}
		for _, c := range choice.Message.ToolCalls {
			a.appendCall(c.ID, c.Function.Name, c.Function.Arguments)
		}
		if f := choice.Message.FunctionCall; f != nil {
			a.appendCall("", f.Name, f.Arguments)
		}
	}
	return nil
}

// openAIChatEvent folds one streamed chunk ("data: {...}") into the answer.
func openAIChatEvent(a *answer, data []byte) error {
	if string(data) == "[DONE]" {
		return nil
	}
	var chunk openAIChatResponse
	if err := json.Unmarshal(data, &chunk); err != nil {
		return err
	}
	a.setModel(chunk.Model)
	chunk.Usage.apply(a)
	if chunk.Error != nil {
		a.errorMessage = chunk.Error.Message
	}
	for _, choice := range chunk.Choices {
		if choice.Index != 0 {
			continue
		}
		a.setFinish(choice.FinishReason)
		a.content.WriteString(contentText(choice.Delta.Content))
		a.content.WriteString(choice.Text)
		for i, d := range choice.Delta.ToolCalls {
			index := i
			if d.Index != nil {
				index = *d.Index
			}
			c := a.call(index)
			if c == nil {
				continue
			}
			if d.ID != "" {
				c.id = d.ID
			}
			if d.Function.Name != "" {
				c.name = d.Function.Name
			}
			c.args.WriteString(d.Function.Arguments)
		}
	}
	return nil
}
