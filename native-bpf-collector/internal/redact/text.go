// Package redact removes credentials from what the collector observed before anything leaves the node.
//
// Every secret found is replaced by "[REDACTED:<kind>]" so a responder still sees that a credential was there and
// what kind it was, without ever seeing its value. The rules err on the side of redacting: a false positive costs a
// few characters of context, a false negative leaks a key.
package redact

import (
	"encoding/base64"
	"regexp"
	"sort"
	"strings"
)

// rule finds one kind of secret. Its hints are literals (lower case, found in an ASCII-lower-cased copy of the
// text) that every match contains. The anchored expression is tried only where a hint occurs, starting at the
// beginning of the word that holds it: one short attempt per occurrence instead of a scan of the whole text, which
// keeps long clean text cheap, and the word start gives the \b a token format needs ("risk-assessment-..." is not
// an "sk-" key).
type rule struct {
	kind  string
	hints []string
	re    *regexp.Regexp
	// wordChar says which bytes before a hint belong to the same token; the attempt starts before them.
	wordChar func(byte) bool
	// window bounds the text one attempt sees (default attemptWindow); -1 lets it see the rest of the text.
	window int
	// matcher replaces re for a rule simpler to match by hand; it returns submatch indexes like the regexp.
	matcher func(s string) []int
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
		window: -1,
		re:     anchored(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----(?s:.*?)(-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|\z)`),
	},
	{
		kind:  "anthropic-key",
		hints: []string{"sk-ant-"},
		re:    anchored(`sk-ant-[A-Za-z0-9_\-]{16,}`),
	},
	{
		kind:  "openai-key",
		hints: []string{"sk-"},
		re:    anchored(`sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_\-]{20,}`),
	},
	{
		kind:  "aws-access-key",
		hints: []string{"akia", "asia"},
		re:    anchored(`(?:AKIA|ASIA)[0-9A-Z]{16}\b`),
	},
	{
		kind:  "github-token",
		hints: []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"},
		re:    anchored(`(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})`),
	},
	{
		kind:  "slack-token",
		hints: []string{"xox"},
		re:    anchored(`xox[abposr]-[A-Za-z0-9\-]{10,}`),
	},
	{
		kind:  "google-api-key",
		hints: []string{"aiza"},
		re:    anchored(`AIza[0-9A-Za-z_\-]{35}`),
	},
	{
		kind:     "jwt",
		hints:    []string{"eyj"},
		window:   16 << 10,
		re:       anchored(`eyJ[A-Za-z0-9_\-]{6,}\.eyJ[A-Za-z0-9_\-]{6,}\.[A-Za-z0-9_\-]*`),
		classify: classifyJWT,
	},
	{
		kind:      "bearer-token",
		hints:     []string{"bearer"},
		re:        anchored(`(?i)(bearer\s+)[A-Za-z0-9\-._~+/]{8,}=*`),
		keep:      1,
		plausible: looksLikeToken,
	},
	{
		kind:      "basic-auth",
		hints:     []string{"basic "},
		re:        anchored(`(?i)(basic\s+)[A-Za-z0-9+/]{8,}=*`),
		keep:      1,
		plausible: looksLikeToken,
	},
	{
		kind:      "url-credentials",
		hints:     []string{"://"},
		wordChar:  isSchemeChar,
		re:        anchored(`([a-zA-Z][a-zA-Z0-9+.\-]*://[^\s:/@"']+:)[^\s/@"']+(@)`),
		keep:      1,
		keepAfter: 2,
	},
	{
		// name=value and "name": "value" pairs whose name says they hold a credential, in JSON (also escaped JSON
		// inside a JSON string), YAML, env files and command lines.
		kind:      "secret",
		hints:     []string{"key", "secret", "token", "passw", "credential"},
		matcher:   matchNamedSecret,
		keep:      1,
		plausible: notPlaceholder,
	},
}

// Text returns s with every credential it recognises replaced by "[REDACTED:<kind>]".
func Text(s string) string {
	if s == "" {
		return s
	}
	lower := asciiLower(s)
	for i := range rules {
		r := &rules[i]
		spans := r.find(s, lower)
		if len(spans) == 0 {
			continue
		}
		if replaced := r.replace(s, spans); replaced != s {
			s = replaced
			lower = asciiLower(s)
		}
	}
	return s
}

// maxLookback bounds how far before a hint the start of its token is looked for.
const maxLookback = 128

// find returns the submatch indexes of the rule's matches in s, in order and without overlap.
func (r *rule) find(s, lower string) [][]int {
	positions := hintPositions(lower, r.hints)
	if len(positions) == 0 {
		return nil
	}
	word := r.wordChar
	if word == nil {
		word = isTokenChar
	}
	var spans [][]int
	next := 0
	for _, pos := range positions {
		if pos < next {
			continue
		}
		start := pos
		for start > next && pos-start < maxLookback && word(s[start-1]) {
			start--
		}
		m := r.match(s, start)
		if m == nil {
			continue
		}
		for j := range m {
			if m[j] >= 0 {
				m[j] += start
			}
		}
		spans = append(spans, m)
		next = m[1]
	}
	return spans
}

// attemptWindow bounds the text given to one attempt: Go's regexp runs its fast backtracking matcher only on
// short inputs. Rules whose matches can be longer say so with their own window; a match that reaches the end of
// its window is tried again on the rest of the text.
const attemptWindow = 512

func (r *rule) match(s string, start int) []int {
	if r.matcher != nil {
		return r.matcher(s[start:])
	}
	end := len(s)
	switch {
	case r.window == 0:
		end = min(len(s), start+attemptWindow)
	case r.window > 0:
		end = min(len(s), start+r.window)
	}
	m := r.re.FindStringSubmatchIndex(s[start:end])
	if m != nil && m[1] == end-start && end < len(s) {
		m = r.re.FindStringSubmatchIndex(s[start:])
	}
	return m
}

func (r *rule) replace(s string, spans [][]int) string {
	var out strings.Builder
	out.Grow(len(s))
	last := 0
	for _, m := range spans {
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

// hintPositions returns where any of the hints occurs in lower, ascending and without duplicates.
func hintPositions(lower string, hints []string) []int {
	var positions []int
	for _, hint := range hints {
		for offset := 0; ; {
			i := strings.Index(lower[offset:], hint)
			if i < 0 {
				break
			}
			positions = append(positions, offset+i)
			offset += i + 1
		}
	}
	if len(positions) > 1 {
		sort.Ints(positions)
	}
	return positions
}

func anchored(pattern string) *regexp.Regexp { return regexp.MustCompile(`^(?:` + pattern + `)`) }

// asciiLower lower-cases ASCII letters only, so byte offsets in the result are offsets in the original.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func isTokenChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

func isSchemeChar(c byte) bool { return isTokenChar(c) || c == '+' || c == '.' }

// Marker is the text that stands in for a removed secret of the given kind.
func Marker(kind string) string { return "[REDACTED:" + kind + "]" }

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
