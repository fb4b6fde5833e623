package redact

import "strings"

// credentialNames are the endings of identifiers that hold a credential, lower case without '_' and '-':
// OPENAI_API_KEY, aws_secret_access_key, db-password, clientSecret.
var credentialNames = []string{
	"apikey", "accesskey", "accesskeyid", "secretkey", "secretaccesskey", "clientsecret", "secret", "accesstoken",
	"authtoken", "refreshtoken", "idtoken", "sessiontoken", "password", "passwd", "privatekey", "credential",
	"credentials",
}

// matchNamedSecret matches name=value and "name": "value" pairs whose name says they hold a credential, in JSON
// (also escaped JSON inside a JSON string), YAML, env files and command lines, at the start of s (the first byte
// of the identifier). The submatches are the kept name and separator (1) and the value (2).
func matchNamedSecret(s string) []int {
	start, nameEnd := 0, 0
	for nameEnd < len(s) && isTokenChar(s[nameEnd]) {
		nameEnd++
	}
	if !isCredentialName(s[start:nameEnd]) {
		return nil
	}
	i := skipQuote(s, nameEnd)
	i = skipSpaces(s, i)
	if i >= len(s) || (s[i] != ':' && s[i] != '=') {
		return nil
	}
	i = skipSpaces(s, i+1)
	valueStart := skipQuote(s, i)
	valueEnd := valueStart
	for valueEnd < len(s) && !strings.ContainsRune(" \t\r\n\"'\\,;{}[]", rune(s[valueEnd])) {
		valueEnd++
	}
	if valueEnd-valueStart < 4 {
		return nil
	}
	return []int{start, valueEnd, start, valueStart, valueStart, valueEnd}
}

func isCredentialName(identifier string) bool {
	if len(identifier) > 64 {
		return false
	}
	var b [64]byte
	n := 0
	for i := 0; i < len(identifier); i++ {
		c := identifier[i]
		if c == '_' || c == '-' {
			continue
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[n] = c
		n++
	}
	normalized := string(b[:n])
	for _, name := range credentialNames {
		if strings.HasSuffix(normalized, name) {
			return true
		}
	}
	return false
}

// skipQuote steps over an optional quote, itself optionally escaped (\" inside a JSON string).
func skipQuote(s string, i int) int {
	if i < len(s) && s[i] == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\'') {
		return i + 2
	}
	if i < len(s) && (s[i] == '"' || s[i] == '\'') {
		return i + 1
	}
	return i
}

func skipSpaces(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}
