package redact

import (
	"net/http"
	"strings"
)

// credentialHeaders carry a credential in their whole value (canonical header names).
var credentialHeaders = map[string]bool{
	"Authorization":             true,
	"Proxy-Authorization":       true,
	"X-Api-Key":                 true,
	"Api-Key":                   true,
	"Cookie":                    true,
	"Set-Cookie":                true,
	"X-Auth-Token":              true,
	"X-Amz-Security-Token":      true,
	"X-Goog-Api-Key":            true,
	"Ocp-Apim-Subscription-Key": true,
}

// Headers returns a copy of h with credential-bearing values replaced. The authentication scheme of Authorization
// headers ("Bearer", "Basic") is kept because it tells a responder how the client authenticated; any other value
// goes through Text.
func Headers(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for name, values := range h {
		canonical := http.CanonicalHeaderKey(name)
		redacted := make([]string, len(values))
		for i, v := range values {
			redacted[i] = headerValue(canonical, v)
		}
		out[name] = redacted
	}
	return out
}

func headerValue(canonical, value string) string {
	if !isCredentialHeader(canonical) {
		return Text(value)
	}
	kind := strings.ToLower(canonical)
	if canonical == "Authorization" || canonical == "Proxy-Authorization" {
		if scheme, _, found := strings.Cut(strings.TrimSpace(value), " "); found {
			return scheme + " " + Marker(kind)
		}
	}
	return Marker(kind)
}

func isCredentialHeader(canonical string) bool {
	if credentialHeaders[canonical] {
		return true
	}
	lower := strings.ToLower(canonical)
	return strings.HasSuffix(lower, "-api-key") || strings.HasSuffix(lower, "-token") || strings.HasSuffix(lower, "-secret")
}
