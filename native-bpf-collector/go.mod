module github.com/vigil-dev/vigil/native-bpf-collector

go 1.25.0

require (
	github.com/cilium/ebpf v0.22.0
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	golang.org/x/sys v0.43.0
	gopkg.in/yaml.v3 v3.0.1
)

require golang.org/x/text v0.14.0 // indirect
