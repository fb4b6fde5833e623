package redact

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
)

// Real-looking credentials in the formats providers issue. None of them is a live credential.
const (
	openAIKey     = "sk-proj-Xk4T9mQ2vLp8RzW1nB6cY3dF0gH5jK7sA9eU2iO4tR6yP1wQ"
	openAILegacy  = "sk-4eC39HqLyjWDarjtT1zdp7dc9x8TqLZ2Rk6mN0vB"
	anthropicKey  = "sk-ant-api03-R2D2c3poBB8xYzA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvWxYz-AbCdEfGhIjKlMnOpQrStUvWxYz012345-AbCdEfAA"
	awsKeyID      = "AKIAIOSFODNN7EXAMPLE"
	awsSecret     = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	githubToken   = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
	slackToken    = "xoxb-2048-1234567890-AbCdEfGhIjKlMnOpQrStUvWx"
	googleKey     = "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW"
	genericJWT    = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
	privateKeyPEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2m8mHqH0\nq7oC3Y4tyW1qG8v3r9ZNfh6C\n-----END RSA PRIVATE KEY-----"
)

func saToken() string {
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","kid":"x1"}`))
	payload := base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"https://kubernetes.default.svc","kubernetes.io":{"namespace":"agents","serviceaccount":{"name":"research-agent"}},"sub":"system:serviceaccount:agents:research-agent"}`))
	return header + "." + payload + ".c2lnbmF0dXJlLWJ5dGVzLWhlcmUtYWJjZGVm"
}

func TestTextRedactsEachKnownCredentialFormat(t *testing.T) {
	cases := []struct {
		name, secret, kind string
	}{
		{"openai project key", openAIKey, "openai-key"},
		{"openai legacy key", openAILegacy, "openai-key"},
		{"anthropic key", anthropicKey, "anthropic-key"},
		{"aws access key id", awsKeyID, "aws-access-key"},
		{"github token", githubToken, "github-token"},
		{"slack token", slackToken, "slack-token"},
		{"google api key", googleKey, "google-api-key"},
		{"jwt", genericJWT, "jwt"},
		{"service account token", saToken(), "k8s-sa-token"},
		{"pem private key", privateKeyPEM, "private-key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := "before " + c.secret + " after"
			got := Text(in)
			if strings.Contains(got, c.secret) {
				t.Fatalf("secret survived: %q", got)
			}
			want := "before [REDACTED:" + c.kind + "] after"
			if got != want {
				t.Fatalf("got %q, want %q", got, want)
			}
		})
	}
}

func TestTextRedactsInsideJSONAndEscapedJSON(t *testing.T) {
	in := `{"cmd":"curl -H 'Authorization: Bearer ` + openAIKey + `' https://api.example","env":{"AWS_SECRET_ACCESS_KEY":"` +
		awsSecret + `"},"nested":"{\"password\": \"hunter2!x\"}"}`
	got := Text(in)
	for _, secret := range []string{openAIKey, awsSecret, "hunter2!x"} {
		if strings.Contains(got, secret) {
			t.Fatalf("secret %q survived in %q", secret, got)
		}
	}
	if !strings.Contains(got, `"AWS_SECRET_ACCESS_KEY":"[REDACTED:secret]"`) {
		t.Fatalf("field name should be kept, value redacted: %q", got)
	}
	if !strings.Contains(got, `\"password\": \"[REDACTED:secret]\"`) {
		t.Fatalf("escaped JSON password not redacted in place: %q", got)
	}
}

func TestTextRedactsBearerAndBasicButNotProse(t *testing.T) {
	got := Text("Authorization: Bearer 4f9c2a71e0b3d8c6a5f4e3d2c1b0a9f8 and Basic dXNlcjpwYXNzd29yZA==")
	if got != "Authorization: Bearer [REDACTED:bearer-token] and Basic [REDACTED:basic-auth]" {
		t.Fatalf("got %q", got)
	}
	prose := "Bearer authentication sends a token; basic authentication is weaker. The key point: required reading."
	if Text(prose) != prose {
		t.Fatalf("prose was changed: %q", Text(prose))
	}
}

func TestTextRedactsURLCredentialsKeepingHost(t *testing.T) {
	got := Text("postgres://app:s3cr3t-pw@db.payments:5432/app")
	if got != "postgres://app:[REDACTED:url-credentials]@db.payments:5432/app" {
		t.Fatalf("got %q", got)
	}
}

func TestTextRedactsTruncatedPrivateKeyToTheEnd(t *testing.T) {
	got := Text("key follows -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9u")
	if got != "key follows [REDACTED:private-key]" {
		t.Fatalf("got %q", got)
	}
}

func TestTextLeavesCleanTextAlone(t *testing.T) {
	clean := "The weather in Paris is 18°C. Use skiing-gear and ask-me questions; tokens used: 42."
	if Text(clean) != clean {
		t.Fatalf("clean text changed: %q", Text(clean))
	}
	if Text("") != "" {
		t.Fatal("empty text changed")
	}
}

func TestTextIsIdempotent(t *testing.T) {
	in := "key=" + openAIKey + " token " + genericJWT + " Bearer abcdef0123456789"
	once := Text(in)
	if twice := Text(once); twice != once {
		t.Fatalf("second pass changed output:\n%q\n%q", once, twice)
	}
}

func TestHeadersRedactsCredentialHeadersAndKeepsOthers(t *testing.T) {
	h := http.Header{}
	h.Set("Authorization", "Bearer "+openAIKey)
	h.Set("Proxy-Authorization", "Basic dXNlcjpwYXNzd29yZA==")
	h.Set("X-Api-Key", anthropicKey)
	h.Set("Api-Key", "0123456789abcdef")
	h.Set("Cookie", "session=abc123; theme=dark")
	h.Set("X-Custom-Token", "opaque-value")
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "OpenAI/Python 1.59.2")
	h.Set("X-Debug", "forwarded "+githubToken)

	got := Headers(h)
	want := map[string]string{
		"Authorization":       "Bearer [REDACTED:authorization]",
		"Proxy-Authorization": "Basic [REDACTED:proxy-authorization]",
		"X-Api-Key":           "[REDACTED:x-api-key]",
		"Api-Key":             "[REDACTED:api-key]",
		"Cookie":              "[REDACTED:cookie]",
		"X-Custom-Token":      "[REDACTED:x-custom-token]",
		"Content-Type":        "application/json",
		"User-Agent":          "OpenAI/Python 1.59.2",
		"X-Debug":             "forwarded [REDACTED:github-token]",
	}
	for name, value := range want {
		if got.Get(name) != value {
			t.Errorf("%s: got %q, want %q", name, got.Get(name), value)
		}
	}
	if h.Get("Authorization") != "Bearer "+openAIKey {
		t.Fatal("Headers modified its input")
	}
}

func FuzzTextNeverGrowsSecretsBack(f *testing.F) {
	f.Add("Bearer " + openAIKey)
	f.Add(privateKeyPEM)
	f.Add(`{"api_key":"` + anthropicKey + `"}`)
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if Text(out) != out {
			t.Fatalf("not idempotent on %q", s)
		}
		for _, secret := range []string{openAIKey, anthropicKey} {
			if strings.Contains(s, " "+secret+" ") && strings.Contains(out, secret) {
				t.Fatalf("secret survived in %q", out)
			}
		}
	})
}

func TestTokensInsideWordsAreNotKeys(t *testing.T) {
	clean := "see risk-assessment-framework-for-agents-2024 and the desk-reservation-system-for-offices-v2 page"
	if Text(clean) != clean {
		t.Fatalf("changed: %q", Text(clean))
	}
}

func TestLongSecretsAreRedactedWhole(t *testing.T) {
	long := genericJWT[:strings.LastIndexByte(genericJWT, '.')] + "." + strings.Repeat("S", 3000)
	pem := "-----BEGIN EC PRIVATE KEY-----\n" + strings.Repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\n", 100) + "-----END EC PRIVATE KEY-----"
	value := strings.Repeat("v", 2000)
	for _, c := range []struct{ in, want string }{
		{"a " + long + " b", "a [REDACTED:jwt] b"},
		{"a " + pem + " b", "a [REDACTED:private-key] b"},
		{"DB_PASSWORD=" + value + " next", "DB_PASSWORD=[REDACTED:secret] next"},
	} {
		if got := Text(c.in); got != c.want {
			t.Errorf("got %.80q, want %q", got, c.want)
		}
	}
}
