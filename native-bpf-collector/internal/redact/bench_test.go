package redact

import (
	"strings"
	"testing"
)

// prose is ordinary agent conversation text with the words that make redaction look closer (key, token, ://).
var prose = strings.Repeat("The key point is that the token budget of https://docs.example/api matters; "+
	"ask the user for the password policy, not the password. Bearer authentication is used. ", 400)

// BenchmarkTextProse measures redaction of 64 KB of clean text, the common case.
func BenchmarkTextProse(b *testing.B) {
	b.SetBytes(int64(len(prose)))
	for i := 0; i < b.N; i++ {
		Text(prose)
	}
}

// BenchmarkTextWithSecrets measures text where secrets must be found and replaced.
func BenchmarkTextWithSecrets(b *testing.B) {
	s := strings.Repeat("env OPENAI_API_KEY="+openAIKey+" and password=hunter2x plus "+genericJWT+". ", 200)
	b.SetBytes(int64(len(s)))
	for i := 0; i < b.N; i++ {
		Text(s)
	}
}

// BenchmarkBaselineToLower is one lower-casing pass over the same prose: the floor any scan of the text pays.
func BenchmarkBaselineToLower(b *testing.B) {
	b.SetBytes(int64(len(prose)))
	for i := 0; i < b.N; i++ {
		strings.ToLower(prose)
	}
}
