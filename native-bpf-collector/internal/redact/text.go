// Package redact removes credentials from what the collector observed before anything leaves the node.
//
// Every secret found is replaced by "[REDACTED:<kind>]" so a responder still sees that a credential was there and
// what kind it was, without ever seeing its value. The rules err on the side of redacting: a false positive costs a
// few characters of context, a false negative leaks a key.
package redact

import (
	"encoding/base64"
	"regexp"
	"strings"
)

// rule finds one kind of secret. hints are cheap literal checks (lower case, matched against the lower-cased
// text): the regular expression runs only when one of them occurs, which keeps clean text nearly free.
type rule struct {
	kind  string
	hints []string
	re    *regexp.Regexp
	// keep is the index of a submatch kept verbatim before the marker (a header name, "Bearer "), or 0.
	keep int
	// keepAfter is the index of a submatch kept verbatim after the marker, or 0.
	keepAfter int
	// classify, when set, picks a more precise kind from the matched text.
	classify func(match string) string
	// plausible, when set, rejects matches that are ordinary words rather than credentials (the secret part only).
	plausible func(secret string) bool
}

// Order matters: specific token formats run before the generic ones so the marker names the precise kind.
var rules = []rule{
	{
		kind:  "private-key",
		hints: []string{"-----begin"},
		// An unterminated key (a truncated body) is redacted to the end of the text.
		re: regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----(?s:.*?)(-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|\z)`),
	},
	{
		kind:  "anthropic-key",
		hints: []string{"sk-ant-"},
		re:    regexp.MustCompile(`sk-ant-[A-Za-z0-9_\-]{16,}`),
	},
	{
		kind:  "openai-key",
		hints: []string{"sk-"},
		re:    regexp.MustCompile(`\bsk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_\-]{20,}`),
	},
	{
		kind:  "aws-access-key",
		hints: []string{"akia", "asia"},
		re:    regexp.MustCompile(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`),
	},
	{
		kind:  "github-token",
		hints: []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"},
		re:    regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})`),
	},
	{
		kind:  "slack-token",
		hints: []string{"xox"},
		re:    regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9\-]{10,}`),
	},
	{
		kind:  "google-api-key",
		hints: []string{"aiza"},
		re:    regexp.MustCompile(`\bAIza[0-9A-Za-z_\-]{35}`),
	},
	{
		kind:     "jwt",
		hints:    []string{"eyj"},
		re:       regexp.MustCompile(`\beyJ[A-Za-z0-9_\-]{6,}\.eyJ[A-Za-z0-9_\-]{6,}\.[A-Za-z0-9_\-]*`),
		classify: classifyJWT,
	},
	{
		kind:      "bearer-token",
		hints:     []string{"bearer"},
		re:        regexp.MustCompile(`(?i)(\bbearer\s+)[A-Za-z0-9\-._~+/]{8,}=*`),
		keep:      1,
		plausible: looksLikeToken,
	},
	{
		kind:      "basic-auth",
		hints:     []string{"basic "},
		re:        regexp.MustCompile(`(?i)(\bbasic\s+)[A-Za-z0-9+/]{8,}=*`),
		keep:      1,
		plausible: looksLikeToken,
	},
	{
		kind:      "url-credentials",
		hints:     []string{"://"},
		re:        regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.\-]*://[^\s:/@"']+:)[^\s/@"']+(@)`),
		keep:      1,
		keepAfter: 2,
	},
	{
		// name=value and "name": "value" pairs whose name says they hold a credential, in JSON (also escaped JSON
		// inside a JSON string), YAML, env files and command lines.
		kind:  "secret",
		hints: []string{"key", "secret", "token", "passw", "credential"},
		re: regexp.MustCompile(`(?i)((?:api[_\-]?key|apikey|access[_\-]?key(?:[_\-]?id)?|secret(?:[_\-]?access)?[_\-]?key|` +
			`client[_\-]?secret|secret|access[_\-]?token|auth[_\-]?token|refresh[_\-]?token|id[_\-]?token|session[_\-]?token|` +
			`password|passwd|private[_\-]?key|credentials?)(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?)` +
			`([^\s"'\\,;}{\[\]]{4,})`),
		keep:      1,
		plausible: notPlaceholder,
	},
}

// Text returns s with every credential it recognises replaced by "[REDACTED:<kind>]".
func Text(s string) string {
	if s == "" {
		return s
	}
	lower := strings.ToLower(s)
	for i := range rules {
		r := &rules[i]
		if !containsAny(lower, r.hints) {
			continue
		}
		replaced := r.apply(s)
		if replaced != s {
			s = replaced
			lower = strings.ToLower(s)
		}
	}
	return s
}

func (r *rule) apply(s string) string {
	indexes := r.re.FindAllStringSubmatchIndex(s, -1)
	if len(indexes) == 0 {
		return s
	}
	var out strings.Builder
	out.Grow(len(s))
	last := 0
	for _, m := range indexes {
		start, end := m[0], m[1]
		match := s[start:end]
		if strings.Contains(match, "[REDACTED:") {
			continue
		}
		kept := ""
		if r.keep > 0 && m[2*r.keep] >= 0 {
			kept = s[m[2*r.keep]:m[2*r.keep+1]]
		}
		if r.plausible != nil && !r.plausible(strings.TrimSuffix(match[len(kept):], "@")) {
			continue
		}
		out.WriteString(s[last:start])
		out.WriteString(kept)
		kind := r.kind
		if r.classify != nil {
			kind = r.classify(match)
		}
		out.WriteString(Marker(kind))
		if r.keepAfter > 0 && m[2*r.keepAfter] >= 0 {
			out.WriteString(s[m[2*r.keepAfter]:m[2*r.keepAfter+1]])
		}
		last = end
	}
	out.WriteString(s[last:])
	return out.String()
}

// Marker is the text that stands in for a removed secret of the given kind.
func Marker(kind string) string { return "[REDACTED:" + kind + "]" }

func containsAny(s string, needles []string) bool {
	for _, n := range needles {
		if strings.Contains(s, n) {
			return true
		}
	}
	return false
}

// classifyJWT names Kubernetes service-account tokens, which are the JWTs an attacker wants most on a cluster.
func classifyJWT(token string) string {
	parts := strings.SplitN(token, ".", 3)
	if len(parts) < 2 {
		return "jwt"
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return "jwt"
	}
	if strings.Contains(string(payload), "kubernetes.io") {
		return "k8s-sa-token"
	}
	return "jwt"
}

// looksLikeToken tells a token ("Bearer eyJhbGci...", "Bearer 4f9c2a71e0") from prose ("bearer authentication").
func looksLikeToken(secret string) bool {
	if len(secret) >= 24 {
		return true
	}
	return strings.ContainsAny(secret, "0123456789-._~+/=")
}

// placeholders are values of credential-named fields that are not credentials: schema words and empty markers.
var placeholders = map[string]bool{
	"null": true, "none": true, "true": true, "false": true, "required": true, "optional": true, "string": true,
	"undefined": true, "empty": true, "unset": true, "example": true, "your_api_key": true,
}

func notPlaceholder(secret string) bool {
	return !placeholders[strings.ToLower(secret)] && !strings.HasPrefix(secret, "$")
}
