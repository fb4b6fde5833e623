package collectortest

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// closeDelimitedLLMServer answers a chat completion the HTTP/1.0 way: no Content-Length, no chunking, the body ends
// when the server closes the connection. Only the close tells the tracker the answer is complete.
func closeDelimitedLLMServer(t *testing.T) string {
	certFile, keyFile, _ := selfSignedCert(t, t.TempDir())
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	listener, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{pair}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { listener.Close() })
	go func() {
		for {
			conn, err := listener.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				request, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				io.Copy(io.Discard, request.Body)
				body := `{"id":"chatcmpl-2","object":"chat.completion","model":"lab-model-1","choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_9","type":"function","function":{"name":"list_dir","arguments":"{\"path\":\"/srv\"}"}}]}}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}`
				fmt.Fprintf(conn, "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n%s", body)
			}()
		}
	}()
	return listener.Addr().String()
}

// The client keeps running after the answer (so process exit cannot be what flushes it): only SSL_free ends the
// connection for the tracker.
const closeDelimitedClient = `
import gc, http.client, json, os, ssl, sys, time
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
host, port = sys.argv[1].split(":")
conn = http.client.HTTPSConnection(host, int(port), context=ctx)
body = json.dumps({"model": "lab-model-1", "messages": [{"role": "user", "content": "list " + sys.argv[2]}]})
conn.request("POST", "/v1/chat/completions", body=body, headers={"Content-Type": "application/json"})
print(conn.getresponse().read().decode(), flush=True)
conn.close()
del conn
gc.collect()
time.sleep(8)
`

// An answer whose body ends with the connection's close is reported when the SSL object is freed.
func TestTLSAnswerEndedByTheCloseIsReported(t *testing.T) {
	requireRoot(t)
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("skipped: python3 is not installed")
	}
	address := closeDelimitedLLMServer(t)
	c := startCollector(t, collectorOptions{})
	marker := "dir-" + randomHex(4)
	cmd := exec.Command("python3", "-c", closeDelimitedClient, address, marker)
	cmd.Env = os.Environ()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if !strings.Contains(line, "list_dir") {
		t.Fatalf("the client did not get the answer: %q", line)
	}
	request := c.WaitFor("llm.request", 10*time.Second, func(e Event) bool {
		return e.Kind == "llm.request" && strings.Contains(string(e.Raw), marker)
	})
	response := c.WaitFor("llm.response ended by the close (while the client still runs)", 5*time.Second, func(e Event) bool {
		return e.Kind == "llm.response" && e.Details["requestEventId"] == request.ID
	})
	calls, _ := response.Details["toolCalls"].([]any)
	if len(calls) != 1 || calls[0].(map[string]any)["name"] != "list_dir" {
		t.Fatalf("llm.response details: %s", response.Raw)
	}
}
