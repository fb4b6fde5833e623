// Package kube is the collector's small Kubernetes API client: enough to list and watch pods with a kubeconfig or
// the in-cluster service account. client-go would triple the binary and the build time for two calls.
package kube

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

type kubeconfig struct {
	CurrentContext string `yaml:"current-context"`
	Clusters       []struct {
		Name    string `yaml:"name"`
		Cluster struct {
			Server                   string `yaml:"server"`
			CertificateAuthority     string `yaml:"certificate-authority"`
			CertificateAuthorityData string `yaml:"certificate-authority-data"`
			InsecureSkipTLSVerify    bool   `yaml:"insecure-skip-tls-verify"`
		} `yaml:"cluster"`
	} `yaml:"clusters"`
	Users []struct {
		Name string `yaml:"name"`
		User struct {
			Token                 string `yaml:"token"`
			TokenFile             string `yaml:"tokenFile"`
			ClientCertificate     string `yaml:"client-certificate"`
			ClientCertificateData string `yaml:"client-certificate-data"`
			ClientKey             string `yaml:"client-key"`
			ClientKeyData         string `yaml:"client-key-data"`
		} `yaml:"user"`
	} `yaml:"users"`
	Contexts []struct {
		Name    string `yaml:"name"`
		Context struct {
			Cluster string `yaml:"cluster"`
			User    string `yaml:"user"`
		} `yaml:"context"`
	} `yaml:"contexts"`
}

// Client talks to one API server.
type Client struct {
	Server string
	token  string
	http   *http.Client
}

// FromKubeconfig builds a client from the kubeconfig's current context.
func FromKubeconfig(path string) (*Client, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading kubeconfig: %w", err)
	}
	var config kubeconfig
	if err := yaml.Unmarshal(raw, &config); err != nil {
		return nil, fmt.Errorf("kubeconfig %s is not valid YAML: %w", path, err)
	}
	base := filepath.Dir(path)
	relative := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(base, p)
	}
	contextName := config.CurrentContext
	if contextName == "" && len(config.Contexts) > 0 {
		contextName = config.Contexts[0].Name
	}
	var clusterName, userName string
	for _, c := range config.Contexts {
		if c.Name == contextName {
			clusterName, userName = c.Context.Cluster, c.Context.User
		}
	}
	client := &Client{}
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	foundCluster := false
	for _, c := range config.Clusters {
		if c.Name != clusterName {
			continue
		}
		foundCluster = true
		client.Server = strings.TrimRight(c.Cluster.Server, "/")
		tlsConfig.InsecureSkipVerify = c.Cluster.InsecureSkipTLSVerify
		ca, err := dataOrFile(c.Cluster.CertificateAuthorityData, relative(c.Cluster.CertificateAuthority))
		if err != nil {
			return nil, fmt.Errorf("kubeconfig cluster %s: %w", c.Name, err)
		}
		if ca != nil {
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(ca) {
				return nil, fmt.Errorf("kubeconfig cluster %s: certificate authority holds no PEM certificate", c.Name)
			}
			tlsConfig.RootCAs = pool
		}
	}
	if !foundCluster {
		return nil, fmt.Errorf("kubeconfig %s: context %q names no cluster", path, contextName)
	}
	for _, u := range config.Users {
		if u.Name != userName {
			continue
		}
		client.token = u.User.Token
		if client.token == "" && u.User.TokenFile != "" {
			token, err := os.ReadFile(relative(u.User.TokenFile))
			if err != nil {
				return nil, fmt.Errorf("kubeconfig user %s: %w", u.Name, err)
			}
			client.token = strings.TrimSpace(string(token))
		}
		cert, err := dataOrFile(u.User.ClientCertificateData, relative(u.User.ClientCertificate))
		if err != nil {
			return nil, err
		}
		key, err := dataOrFile(u.User.ClientKeyData, relative(u.User.ClientKey))
		if err != nil {
			return nil, err
		}
		if cert != nil && key != nil {
			pair, err := tls.X509KeyPair(cert, key)
			if err != nil {
				return nil, fmt.Errorf("kubeconfig user %s: client certificate: %w", u.Name, err)
			}
			tlsConfig.Certificates = []tls.Certificate{pair}
		}
	}
	client.http = &http.Client{Transport: &http.Transport{TLSClientConfig: tlsConfig, IdleConnTimeout: time.Minute}}
	return client, nil
}

// InCluster builds a client from the pod's service account, as a DaemonSet pod sees it.
func InCluster() (*Client, error) {
	const dir = "/var/run/secrets/kubernetes.io/serviceaccount"
	host, port := os.Getenv("KUBERNETES_SERVICE_HOST"), os.Getenv("KUBERNETES_SERVICE_PORT")
	if host == "" {
		return nil, fmt.Errorf("not running in a cluster (KUBERNETES_SERVICE_HOST unset) and no --kubeconfig given")
	}
	token, err := os.ReadFile(filepath.Join(dir, "token"))
	if err != nil {
		return nil, err
	}
	ca, err := os.ReadFile(filepath.Join(dir, "ca.crt"))
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	return &Client{
		Server: "https://" + host + ":" + port,
		token:  strings.TrimSpace(string(token)),
		http:   &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}},
	}, nil
}

func dataOrFile(data, file string) ([]byte, error) {
	if data != "" {
		decoded, err := base64.StdEncoding.DecodeString(data)
		if err != nil {
			return nil, fmt.Errorf("inline certificate data is not base64: %w", err)
		}
		return decoded, nil
	}
	if file == "" {
		return nil, nil
	}
	return os.ReadFile(file)
}

// Get performs an authenticated GET of an API path.
func (c *Client) Get(path string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, c.Server+path, nil)
	if err != nil {
		return nil, err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("Accept", "application/json")
	return c.http.Do(req)
}
