package collectortest

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var (
	schemaOnce sync.Once
	schemas    map[string]*jsonschema.Schema
	schemaErr  error
)

// wireSchema returns the JSON Schema generated from shared/collector-api (schema/v1/<name>.schema.json): every
// message the tests read from the collector is validated with it, so Go and TypeScript cannot drift apart.
func wireSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	schemaOnce.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		dir := filepath.Join(filepath.Dir(filepath.Dir(file)), "schema", "v1")
		schemas = map[string]*jsonschema.Schema{}
		for _, n := range []string{"stream-message", "event", "error", "health", "profile", "enforcement-status"} {
			compiler := jsonschema.NewCompiler()
			path := filepath.Join(dir, n+".schema.json")
			raw, err := os.ReadFile(path)
			if err != nil {
				schemaErr = err
				return
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
			if err != nil {
				schemaErr = err
				return
			}
			if err := compiler.AddResource(path, doc); err != nil {
				schemaErr = err
				return
			}
			if schemas[n], err = compiler.Compile(path); err != nil {
				schemaErr = err
				return
			}
		}
	})
	if schemaErr != nil {
		t.Fatalf("loading the wire schema: %v", schemaErr)
	}
	return schemas[name]
}

func validateWire(t *testing.T, name string, raw []byte) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s is not JSON: %v: %s", name, err, raw)
	}
	if err := wireSchema(t, name).Validate(doc); err != nil {
		t.Fatalf("a %s message does not match schema/v1/%s.schema.json: %v\n%s", name, name, err, raw)
	}
}
