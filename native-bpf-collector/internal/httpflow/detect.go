package httpflow

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
)

// llmAPI is one wire format of an LLM API: how its requests, whole answers and streamed events decode.
type llmAPI struct {
	name         string
	provider     string
	parseRequest func(body []byte, l limits) (*LLMRequest, error)
	whole        func(a *answer, body []byte) error
	event        func(a *answer, data []byte) error
}

var (
	openAIChatAPI = &llmAPI{name: "openai-chat", provider: ProviderOpenAI,
		parseRequest: parseOpenAIChatRequest, whole: openAIChatWhole, event: openAIChatEvent}
	openAIResponsesAPI = &llmAPI{name: "openai-responses", provider: ProviderOpenAI,
		parseRequest: parseResponsesRequest, whole: responsesWhole, event: responsesEvent}
	anthropicMessagesAPI = &llmAPI{name: "anthropic-messages", provider: ProviderAnthropic,
		parseRequest: parseAnthropicRequest, whole: anthropicWhole, event: anthropicEvent}
	// genericChatAPI is a chat-shaped JSON body on a path no provider is known to use: it is parsed as the
	// OpenAI shape, which most self-hosted servers copy, but its provider stays unknown.
	genericChatAPI = &llmAPI{name: "generic-chat", provider: ProviderUnknown,
		parseRequest: parseOpenAIChatRequest, whole: openAIChatWhole, event: openAIChatEvent}
)

// detectAPI decides from the request's path, headers and body shape (never from the host alone, since gateways,
// proxies and self-hosted servers answer on any name) whether a request is an LLM API call, and which format.
func detectAPI(h *head, path string, body []byte) *llmAPI {
	if h.method != "POST" {
		return nil
	}
	p := strings.ToLower(path)
	switch {
	case strings.HasSuffix(p, "/chat/completions") || strings.HasSuffix(p, "/v1/completions"):
		return openAIChatAPI
	case strings.HasSuffix(p, "/v1/responses") || strings.HasSuffix(p, "/openai/responses"):
		return openAIResponsesAPI
	case strings.HasSuffix(p, "/v1/messages") || (h.anthropicVersion && strings.HasSuffix(p, "/messages")):
		return anthropicMessagesAPI
	}
	return detectByShape(h, body)
}

// detectByShape recognises a chat request body posted to an unfamiliar path: an object with a model and a list of
// messages. Anthropic's shape shows in its required header, its tool schema key or its content block types.
func detectByShape(h *head, body []byte) *llmAPI {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' || !bytes.Contains(body, []byte(`"model"`)) ||
		!bytes.Contains(body, []byte(`"messages"`)) {
		return nil
	}
	var probe struct {
		Model    json.RawMessage   `json:"model"`
		Messages []json.RawMessage `json:"messages"`
	}
	if json.Unmarshal(body, &probe) != nil || len(probe.Model) == 0 || probe.Messages == nil {
		return nil
	}
	if h.anthropicVersion || bytes.Contains(body, []byte(`"input_schema"`)) ||
		bytes.Contains(body, []byte(`"tool_result"`)) || bytes.Contains(body, []byte(`"tool_use"`)) {
		return anthropicMessagesAPI
	}
	if bytes.Contains(body, []byte(`"tool_calls"`)) || bytes.Contains(body, []byte(`"tool_call_id"`)) ||
		bytes.Contains(body, []byte(`"function"`)) {
		return openAIChatAPI
	}
	return genericChatAPI
}

var (
	modelField  = regexp.MustCompile(`"model"\s*:\s*"((?:[^"\\]|\\.){1,256})"`)
	streamField = regexp.MustCompile(`"stream"\s*:\s*true`)
)

// salvageRequest keeps what can be read from an LLM request body that is not valid JSON, typically because it was
// longer than MaxBody (long conversations, inline images): the model and whether it streams.
func salvageRequest(body []byte) *LLMRequest {
	req := &LLMRequest{}
	if m := modelField.FindSubmatch(body); m != nil {
		var model string
		if json.Unmarshal([]byte(`"`+string(m[1])+`"`), &model) == nil {
			req.Model = model
		}
	}
	req.Stream = streamField.Match(body)
	return req
}

// hostAndPath splits a request target into host (from an absolute-form target, else the Host header) and path.
// Query parameters that carry credentials are redacted here; the rest of the path goes through redact.Text later.
func hostAndPath(h *head) (host, path string) {
	host, path = h.host, h.target
	if i := strings.Index(path, "://"); i > 0 && !strings.HasPrefix(path, "/") {
		rest := path[i+3:]
		slash := strings.IndexByte(rest, '/')
		if slash < 0 {
			host, path = rest, "/"
		} else {
			host, path = rest[:slash], rest[slash:]
		}
	}
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		host = host[at+1:] // userinfo never leaves the parser
	}
	return host, redactQuery(path)
}

var credentialParams = map[string]bool{
	"key": true, "api_key": true, "apikey": true, "api-key": true, "token": true, "access_token": true,
	"auth": true, "sig": true, "signature": true, "x-amz-signature": true, "x-amz-security-token": true,
	"x-goog-signature": true, "password": true, "secret": true, "client_secret": true, "code": true,
}

func redactQuery(path string) string {
	base, query, found := strings.Cut(path, "?")
	if !found {
		return path
	}
	params := strings.Split(query, "&")
	for i, param := range params {
		name, _, hasValue := strings.Cut(param, "=")
		if hasValue && credentialParams[strings.ToLower(name)] {
			params[i] = name + "=[REDACTED:query-credential]"
		}
	}
	return base + "?" + strings.Join(params, "&")
}
