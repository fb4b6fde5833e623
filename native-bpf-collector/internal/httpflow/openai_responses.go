package httpflow

import "encoding/json"

// OpenAI Responses API (/v1/responses): input items instead of messages, output items instead of choices.

type responsesRequest struct {
	Model        string          `json:"model"`
	Stream       bool            `json:"stream"`
	Instructions string          `json:"instructions"`
	Input        json.RawMessage `json:"input"`
	Tools        []openAITool    `json:"tools"`
}

// responsesItem is an input or output item: a message, a function call or a function call's output.
type responsesItem struct {
	Type      string          `json:"type"`
	Role      string          `json:"role"`
	Content   json.RawMessage `json:"content"`
	CallID    string          `json:"call_id"`
	Name      string          `json:"name"`
	Arguments string          `json:"arguments"`
	Output    json.RawMessage `json:"output"`
}

func parseResponsesRequest(body []byte, _ limits) (*LLMRequest, error) {
	var in responsesRequest
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	req := &LLMRequest{Model: in.Model, Stream: in.Stream}
	if in.Instructions != "" {
		req.Messages = append(req.Messages, Message{Role: "system", Content: in.Instructions})
	}
	var items []responsesItem
	var text string
	switch {
	case json.Unmarshal(in.Input, &text) == nil:
		req.Messages = append(req.Messages, Message{Role: "user", Content: text})
	case json.Unmarshal(in.Input, &items) == nil:
		for _, item := range items {
			switch item.Type {
			case "function_call":
				req.Messages = append(req.Messages, Message{Role: "assistant",
					Content: "[tool_call " + item.CallID + " " + item.Name + " " + item.Arguments + "]"})
			case "function_call_output":
				output := contentText(item.Output)
				req.Messages = append(req.Messages, Message{Role: "tool", Content: output, ToolCallID: item.CallID})
				req.ToolResults = append(req.ToolResults, ToolResult{ToolCallID: item.CallID, Content: output})
			default:
				role := item.Role
				if role == "" {
					role = item.Type
				}
				req.Messages = append(req.Messages, Message{Role: role, Content: contentText(item.Content)})
			}
		}
	}
	for _, t := range in.Tools {
		req.Tools = append(req.Tools, openAIToolDef(t))
	}
	return req, nil
}

type responsesResponse struct {
	Model             string          `json:"model"`
	Status            string          `json:"status"`
	Output            []responsesItem `json:"output"`
	Usage             *openAIUsage    `json:"usage"`
	Error             *apiError       `json:"error"`
	IncompleteDetails *struct {
		Reason string `json:"reason"`
	} `json:"incomplete_details"`
}

func (out *responsesResponse) apply(a *answer, withOutput bool) {
	a.setModel(out.Model)
	out.Usage.apply(a)
	a.setFinish(out.Status)
	if out.IncompleteDetails != nil {
		a.setFinish(out.IncompleteDetails.Reason)
	}
	if out.Error != nil {
		a.errorMessage = out.Error.Message
	}
	if !withOutput {
		return
	}
	for _, item := range out.Output {
		switch item.Type {
		case "message":
			a.content.WriteString(contentText(item.Content))
		case "function_call":
			a.appendCall(item.CallID, item.Name, item.Arguments)
		}
	}
}

func responsesWhole(a *answer, body []byte) error {
	var out responsesResponse
	if err := json.Unmarshal(body, &out); err != nil {
		return err
	}
	out.apply(a, true)
	return nil
}

type responsesStreamEvent struct {
	Type     string             `json:"type"`
	Delta    string             `json:"delta"`
	Item     responsesItem      `json:"item"`
	Response *responsesResponse `json:"response"`
	Message  string             `json:"message"` // "error" events
}

// responsesEvent folds one streamed event: text arrives as deltas, function calls whole in output_item.done, and
// the final response object carries model, status and usage.
func responsesEvent(a *answer, data []byte) error {
	var ev responsesStreamEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		return err
	}
	switch ev.Type {
	case "response.output_text.delta", "response.refusal.delta":
		a.content.WriteString(ev.Delta)
	case "response.output_item.done":
		if ev.Item.Type == "function_call" {
			a.appendCall(ev.Item.CallID, ev.Item.Name, ev.Item.Arguments)
		}
	case "response.created", "response.in_progress", "response.completed", "response.incomplete", "response.failed":
		if ev.Response != nil {
			ev.Response.apply(a, false)
		}
	case "error":
		a.errorMessage = ev.Message
	}
	return nil
}
