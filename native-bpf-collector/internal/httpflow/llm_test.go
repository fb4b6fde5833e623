package httpflow

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func sseChunked(events ...string) string {
	var b strings.Builder
	b.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
	for _, e := range events {
		fmt.Fprintf(&b, "%x\r\n%s\r\n", len(e), e)
	}
	b.WriteString("0\r\n\r\n")
	return b.String()
}

func anthropicPost(body string) string {
	return fmt.Sprintf("POST /v1/messages HTTP/1.1\r\nHost: api.anthropic.example\r\nx-api-key: sk-ant-api03-abcdefghijklmnopqrstuvwxyz\r\nanthropic-version: 2023-06-01\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
}

// Anthropic's documented streaming format, with its ping and named events, CRLF line endings and a thinking block.
func TestAnthropicStreamFromDocumentedWireFormat(t *testing.T) {
	leakedKey := "sk-proj-Leak0123456789abcdefghijklmnop"
	tr := NewTracker(Options{})
	recs := exchange(t, tr,
		egress(anthropicPost(`{"model":"claude-opus-4-1","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"run it"}],"tools":[{"name":"bash","description":"Run a shell command","input_schema":{"type":"object"}}]}`)),
		ingress(sseChunked(
			"event: message_start\r\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-opus-4-1-20250805\",\"content\":[],\"usage\":{\"input_tokens\":25,\"cache_read_input_tokens\":100,\"output_tokens\":1}}}\r\n\r\n",
			": keep-alive comment\n\nevent: ping\ndata: {\"type\": \"ping\"}\n\n",
			"event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}\n\n",
			"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"I should list files\"}}\n\n",
			"event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
			"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Running \"}}\n\nevent: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"it.\"}}\n\n",
			"event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"bash\",\"input\":{}}}\n\n",
			// The key is split across two fragments: it must be redacted in the reassembled arguments.
			"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"command\\\": \\\"curl -H 'Authorization: Bearer "+leakedKey[:12]+"\"}}\n\n",
			"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\""+leakedKey[12:]+"' https://x\\\"}\"}}\n\n",
			"event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":2}\n\n",
			"event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":89}}\n\n",
			"event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
		)),
	)
	req, resp := llmRequest(t, recs), llmResponse(t, recs)
	if req.Provider != ProviderAnthropic || !req.Stream || len(req.Tools) != 1 || req.Tools[0].Name != "bash" {
		t.Fatalf("request %+v", req)
	}
	if resp.Model != "claude-opus-4-1-20250805" || resp.Content != "Running it." || resp.FinishReason != "tool_use" ||
		resp.InputTokens != 125 || resp.OutputTokens != 89 || resp.Request != req {
		t.Fatalf("response %+v", resp)
	}
	if len(resp.ToolCalls) != 1 || resp.ToolCalls[0].ID != "toolu_01A" || resp.ToolCalls[0].Name != "bash" {
		t.Fatalf("tool calls %+v", resp.ToolCalls)
	}
	args := resp.ToolCalls[0].Arguments
	if strings.Contains(args, "Leak0123") || args != `{"command": "curl -H 'Authorization: Bearer [REDACTED:openai-key]' https://x"}` {
		t.Fatalf("arguments %q", args)
	}
}

func TestAnthropicToolResultBlocksAndSystemArray(t *testing.T) {
	tr := NewTracker(Options{})
	recs := exchange(t, tr, egress(anthropicPost(`{"model":"claude-haiku-4-5","max_tokens":10,
		"system":[{"type":"text","text":"Be brief."}],
		"messages":[{"role":"user","content":"list"},
		{"role":"assistant","content":[{"type":"tool_use","id":"toolu_9","name":"ls","input":{"path":"/"}}]},
		{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_9","is_error":true,"content":[{"type":"text","text":"permission denied"}]},{"type":"text","text":"try again"}]}]}`)))
	req := llmRequest(t, recs)
	if req.Messages[0].Role != "system" || req.Messages[0].Content != "Be brief." {
		t.Fatalf("system %+v", req.Messages[0])
	}
	if len(req.ToolResults) != 1 || req.ToolResults[0].ToolCallID != "toolu_9" || req.ToolResults[0].Content != "[error] permission denied" {
		t.Fatalf("tool results %+v", req.ToolResults)
	}
	if !strings.Contains(req.Messages[2].Content, `[tool_use toolu_9 ls {"path":"/"}]`) {
		t.Fatalf("assistant message %+v", req.Messages[2])
	}
}

func TestAPIErrorBecomesContent(t *testing.T) {
	body := `{"error":{"message":"Incorrect API key provided: sk-proj-****abcd","type":"invalid_request_error"}}`
	tr := NewTracker(Options{})
	recs := exchange(t, tr,
		egress(chatRequest(`{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}`)),
		ingress(fmt.Sprintf("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)),
	)
	resp := llmResponse(t, recs)
	if resp.Status != 401 || !strings.HasPrefix(resp.Content, "Incorrect API key provided") || resp.Model != "gpt-4o" {
		t.Fatalf("got %+v", resp)
	}
	plain := "upstream connect error"
	recs = exchange(t, NewTracker(Options{}),
		egress(chatRequest(`{"model":"gpt-4o","messages":[]}`)),
		ingress(fmt.Sprintf("HTTP/1.1 503 Service Unavailable\r\nContent-Length: %d\r\n\r\n%s", len(plain), plain)),
	)
	if resp := llmResponse(t, recs); resp.Status != 503 || resp.Content != plain {
		t.Fatalf("got %+v", resp)
	}
}

func TestProviderDetectedByShapeOnUnknownPaths(t *testing.T) {
	post := func(path, headers, body string) string {
		return fmt.Sprintf("POST %s HTTP/1.1\r\nHost: gateway.internal\r\n%sContent-Length: %d\r\n\r\n%s", path, headers, len(body), body)
	}
	cases := []struct {
		name, raw, provider string
	}{
		{"anthropic header", post("/llm/proxy", "anthropic-version: 2023-06-01\r\n", `{"model":"m","messages":[]}`), ProviderAnthropic},
		{"anthropic tool schema", post("/gw", "", `{"model":"m","messages":[],"tools":[{"name":"t","input_schema":{}}]}`), ProviderAnthropic},
		{"openai tools", post("/gw", "", `{"model":"m","messages":[],"tools":[{"type":"function","function":{"name":"t"}}]}`), ProviderOpenAI},
		{"azure deployment path", post("/openai/deployments/gpt4/chat/completions?api-version=2024-06-01", "", `{"messages":[]}`), ProviderOpenAI},
		{"plain chat shape", post("/api/chat", "", `{"model":"llama3","messages":[{"role":"user","content":"hi"}]}`), ProviderUnknown},
	}
	for _, c := range cases {
		req := llmRequest(t, exchange(t, NewTracker(Options{}), egress(c.raw)))
		if req.Provider != c.provider {
			t.Errorf("%s: provider %q, want %q", c.name, req.Provider, c.provider)
		}
	}
	// A JSON POST without the shape of a chat is ordinary HTTP.
	recs := exchange(t, NewTracker(Options{}), egress(post("/v1/embeddings-like", "", `{"model":"m","input":"x"}`)),
		ingress("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
	if len(httpRecords(t, recs)) != 1 {
		t.Fatal("non-chat POST not reported as http.request")
	}
}

func TestBoundsFollowTheEventSchema(t *testing.T) {
	var msgs []string
	for i := 0; i < 300; i++ {
		msgs = append(msgs, fmt.Sprintf(`{"role":"user","content":"message %d"}`, i))
	}
	long := strings.Repeat("é", 40_000) // 80,000 bytes of two-byte runes
	msgs = append(msgs, fmt.Sprintf(`{"role":"user","content":"%s"}`, long))
	var tools []string
	for i := 0; i < 260; i++ {
		tools = append(tools, fmt.Sprintf(`{"type":"function","function":{"name":"tool_%d","description":"%s"}}`, i, strings.Repeat("d", 3000)))
	}
	body := `{"model":"gpt-4o","messages":[` + strings.Join(msgs, ",") + `],"tools":[` + strings.Join(tools, ",") + `]}`
	tr := NewTracker(Options{})
	req := llmRequest(t, exchange(t, tr, egress(chatRequest(body))))
	if len(req.Messages) != 256 || req.Messages[0].Content != "message 0" || req.Messages[1].Role != "vigil" ||
		req.Messages[1].Content != "[46 messages omitted by vigil]" {
		t.Fatalf("messages: %d, first %+v, second %+v", len(req.Messages), req.Messages[0], req.Messages[1])
	}
	last := req.Messages[255].Content
	if len(last) > 65_536 || !utf8.ValidString(last) || !strings.HasSuffix(last, "[truncated by vigil: 80000 bytes in all]") {
		t.Fatalf("last message: %d bytes, valid %v, suffix %q", len(last), utf8.ValidString(last), last[len(last)-60:])
	}
	if len(req.Tools) != 256 || len(req.Tools[0].Description) != 3000 {
		t.Fatalf("tools: %d, description %d bytes", len(req.Tools), len(req.Tools[0].Description))
	}
	if tr.Stats().TruncatedFields == 0 {
		t.Fatal("truncation not counted")
	}
}

func TestStreamedAnswerIsBoundedInMemory(t *testing.T) {
	tr := NewTracker(Options{MaxText: 1000})
	recs := exchange(t, tr, egress(chatRequest(`{"model":"gpt-4o","stream":true,"messages":[]}`)),
		ingress("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"))
	chunk := `data: {"choices":[{"index":0,"delta":{"content":"` + strings.Repeat("z", 1000) + `"}}]}` + "\n\n"
	for i := 0; i < 2000; i++ {
		recs = append(recs, tr.Feed(key, Ingress, []byte(chunk), fixtureTime)...)
	}
	if held := tr.Stats().BufferedBytes; held > 64_000 {
		t.Fatalf("a 2 MB stream holds %d bytes", held)
	}
	recs = append(recs, tr.Close(key)...)
	resp := llmResponse(t, recs)
	if len(resp.Content) > 1000 || !strings.HasSuffix(resp.Content, "[truncated by vigil: 2000000 bytes in all]") {
		t.Fatalf("content %d bytes: %q", len(resp.Content), resp.Content[len(resp.Content)-50:])
	}
}

func TestStreamCutShortStillReportsWhatArrived(t *testing.T) {
	tr := NewTracker(Options{})
	recs := exchange(t, tr,
		egress(chatRequest(`{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}`)),
		ingress("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"),
		ingress("31\r\ndata: {\"choices\":[{\"delta\":{\"content\":\"par\"}}]}\n\n\r\n"),
		closeConn{},
	)
	resp := llmResponse(t, recs)
	if resp.Content != "par" || tr.Stats().TruncatedBodies != 1 {
		t.Fatalf("response %+v, stats %+v", resp, tr.Stats())
	}
}

func TestOversizedRequestBodyIsSalvaged(t *testing.T) {
	body := `{"model":"gpt-4o-2024-08-06","stream":true,"messages":[{"role":"user","content":"` + strings.Repeat("a", 5000) + `"}]}`
	tr := NewTracker(Options{MaxBody: 1000})
	req := llmRequest(t, exchange(t, tr, egress(chatRequest(body))))
	if req.Model != "gpt-4o-2024-08-06" || !req.Stream || req.Provider != ProviderOpenAI || len(req.Messages) != 0 {
		t.Fatalf("got %+v", req)
	}
	if s := tr.Stats(); s.TruncatedBodies != 1 || s.BodyDecodeFailures != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestSecretsInEveryFieldAreRedacted(t *testing.T) {
	const key1 = "sk-proj-AAAAbbbbCCCCddddEEEEffff0000"
	const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YTpiIn0.c2lnbmF0dXJlX2J5dGVz"
	body := `{"model":"gpt-4o","messages":[{"role":"system","content":"key ` + key1 + `"},` +
		`{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"http","arguments":"{\"auth\":\"Bearer ` + jwt + `\"}"}}]},` +
		`{"role":"tool","tool_call_id":"c1","content":"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"}],` +
		`"tools":[{"type":"function","function":{"name":"http","description":"default token ` + key1 + `"}}]}`
	answer := `{"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"use ` + key1 + `",` +
		`"tool_calls":[{"id":"c2","type":"function","function":{"name":"http","arguments":"{\"api_key\":\"` + key1 + `\"}"}}]},"finish_reason":"tool_calls"}]}`
	recs := exchange(t, NewTracker(Options{}), egress(chatRequest(body)),
		ingress(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(answer), answer)))
	out := recordsJSON(t, recs)
	for _, secret := range []string{key1, jwt, "MIIEvQIBADAN", "sk-proj-abcdefghijklmnop"} {
		if strings.Contains(out, secret) {
			t.Fatalf("%q leaked:\n%s", secret, out)
		}
	}
	if strings.Count(out, "[REDACTED:") < 6 {
		t.Fatalf("expected a marker per secret:\n%s", out)
	}
}

// A tool_use block announced with its input whole, followed only by an empty fragment, as some servers send.
func TestAnthropicToolInputGivenUpFront(t *testing.T) {
	recs := exchange(t, NewTracker(Options{}),
		egress(anthropicPost(`{"model":"m","max_tokens":5,"stream":true,"messages":[]}`)),
		ingress(sseChunked(
			"event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":\"read\",\"input\":{\"path\":\"/etc/shadow\"}}}\n\n",
			"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}\n\n",
		)),
	)
	resp := llmResponse(t, recs)
	if len(resp.ToolCalls) != 1 || resp.ToolCalls[0].Arguments != `{"path":"/etc/shadow"}` {
		t.Fatalf("tool calls %+v", resp.ToolCalls)
	}
}

// A compressed event stream cannot be decoded as it arrives: it is kept (bounded) and decoded when complete.
func TestCompressedEventStream(t *testing.T) {
	events := "data: {\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"zip\"}}]}\n\n" +
		"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ped\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
	body := compressed(t, "gzip", events)
	recs := exchange(t, NewTracker(Options{}),
		egress(chatRequest(`{"model":"gpt-4o","stream":true,"messages":[]}`)),
		ingress(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n%s", len(body), body)),
	)
	if resp := llmResponse(t, recs); resp.Content != "zipped" || resp.FinishReason != "stop" {
		t.Fatalf("got %+v", resp)
	}
}

// Some clients stream the request body with chunked encoding (no Content-Length).
func TestChunkedLLMRequestBody(t *testing.T) {
	body := `{"model":"gpt-4.1","messages":[{"role":"user","content":"chunked hello"}]}`
	raw := "POST /v1/chat/completions HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" +
		fmt.Sprintf("%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n", 10, body[:10], len(body)-10, body[10:])
	req := llmRequest(t, exchange(t, NewTracker(Options{}), egress(raw)))
	if req.Model != "gpt-4.1" || len(req.Messages) != 1 || req.Messages[0].Content != "chunked hello" {
		t.Fatalf("got %+v", req)
	}
}

// Brotli and zstd are not decoded (no decoder in the standard library): the answer is still reported, with what
// the headers say, and the loss is counted.
func TestUndecodableAnswerIsReportedAndCounted(t *testing.T) {
	tr := NewTracker(Options{})
	recs := exchange(t, tr,
		egress(chatRequest(`{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}`)),
		ingress("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: br\r\nContent-Length: 4\r\n\r\n\x1b\x03\x00\xf8"),
	)
	resp := llmResponse(t, recs)
	if resp.Status != 200 || resp.Model != "gpt-4o" || resp.Content != "" || tr.Stats().BodyDecodeFailures != 1 {
		t.Fatalf("response %+v stats %+v", resp, tr.Stats())
	}
}

// A small compressed body that inflates to 8 MB stops at MaxBody (64 KiB here).
func TestCompressionBombStopsAtMaxBody(t *testing.T) {
	bomb := compressed(t, "gzip", `{"model":"m","choices":[{"index":0,"message":{"content":"`+strings.Repeat("A", 8<<20))
	tr := NewTracker(Options{MaxBody: 1 << 16})
	recs := exchange(t, tr,
		egress(chatRequest(`{"model":"gpt-4o","messages":[]}`)),
		ingress(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n%s", len(bomb), bomb)),
	)
	resp := llmResponse(t, recs)
	if resp.Status != 200 || tr.Stats().TruncatedBodies != 1 || len(bomb) > 1<<16 {
		t.Fatalf("response %+v stats %+v (bomb %d bytes)", resp, tr.Stats(), len(bomb))
	}
}
