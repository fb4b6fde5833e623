// vigil-collector observes every container on the node with eBPF, attributes events to pods and serves them over
// an authenticated HTTPS API. See native-bpf-collector/README.md.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/api"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/attribution"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/enforce"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/kube"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/model"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/pipeline"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/probes"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/proctable"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/profile"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/stream"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/workloads"
)

type config struct {
	listen, tokenFile, tlsCert, tlsKey, kubeconfig, nodeName, stateDir string
	cgroupRoot, procRoot, pinDir                                       string
	bufferEvents, memoryEvents                                         int
	ringBytes                                                          uint
	learning                                                           time.Duration
	sensitive                                                          prefixList
	noTLS, noEnforcement, noKube, allowRemote                          bool
}

func parseFlags() config {
	var c config
	flag.StringVar(&c.listen, "listen", "127.0.0.1:7443", "address to serve the API on (loopback unless --allow-remote)")
	flag.StringVar(&c.tokenFile, "token-file", "", "file holding the bearer token clients must send (required)")
	flag.StringVar(&c.tlsCert, "tls-cert", "", "PEM certificate for the API (required)")
	flag.StringVar(&c.tlsKey, "tls-key", "", "PEM private key for the API (required)")
	flag.StringVar(&c.kubeconfig, "kubeconfig", "", "kubeconfig for pod lookups (default: in-cluster service account)")
	flag.StringVar(&c.nodeName, "node-name", "", "this node's name, stamped on every event (default: hostname)")
	flag.StringVar(&c.stateDir, "state-dir", "/var/lib/vigil-collector", "directory for the event journal and enforcement state")
	flag.StringVar(&c.cgroupRoot, "cgroup-root", "/sys/fs/cgroup/unified", "cgroup v2 mount point (/sys/fs/cgroup on unified-only hosts)")
	flag.StringVar(&c.procRoot, "proc-root", "/proc", "the host's /proc")
	flag.StringVar(&c.pinDir, "bpffs-dir", "/sys/fs/bpf/vigil", "bpffs directory where enforcement maps and links are pinned")
	flag.IntVar(&c.bufferEvents, "buffer-events", 500_000, "events kept on the node (journal in --state-dir) for resuming clients: the resume horizon")
	flag.IntVar(&c.memoryEvents, "memory-events", 16_384, "newest events also kept in memory for live followers")
	flag.UintVar(&c.ringBytes, "ringbuf-bytes", 8<<20, "BPF ring buffer size (power of two)")
	flag.DurationVar(&c.learning, "learning-period", 10*time.Minute, "how long a new pod's profile is in learning state")
	flag.Var(&c.sensitive, "sensitive-path", "CATEGORY=PREFIX of opens to report (repeatable; replaces the defaults); categories: "+strings.Join(pipeline.Categories, ", "))
	flag.BoolVar(&c.noTLS, "no-tls-capture", false, "do not attach TLS uprobes")
	flag.BoolVar(&c.noEnforcement, "no-enforcement", false, "do not load the enforcement program")
	flag.BoolVar(&c.noKube, "no-kube", false, "do not contact the Kubernetes API (events carry container ids only)")
	flag.BoolVar(&c.allowRemote, "allow-remote", false, "allow --listen on a non-loopback address")
	flag.Parse()
	if len(c.sensitive) == 0 {
		c.sensitive = defaultSensitivePaths()
	}
	return c
}

func main() {
	log.SetFlags(log.LstdFlags | log.LUTC)
	if err := run(parseFlags()); err != nil {
		log.Printf("vigil-collector: %v", err)
		os.Exit(1)
	}
}

func run(c config) error {
	if c.tokenFile == "" || c.tlsCert == "" || c.tlsKey == "" {
		return errors.New("--token-file, --tls-cert and --tls-key are required: the API is never served without TLS and a token")
	}
	if err := checkListen(c.listen, c.allowRemote); err != nil {
		return err
	}
	token, err := os.ReadFile(c.tokenFile)
	if err != nil {
		return fmt.Errorf("reading the token file: %w", err)
	}
	token = []byte(strings.TrimSpace(string(token)))
	if len(token) < 16 {
		return fmt.Errorf("the token in %s is shorter than 16 characters", c.tokenFile)
	}
	certificate, err := tls.LoadX509KeyPair(c.tlsCert, c.tlsKey)
	if err != nil {
		return fmt.Errorf("loading the TLS certificate: %w", err)
	}
	if c.nodeName == "" {
		c.nodeName, _ = os.Hostname()
	}
	if err := os.MkdirAll(c.stateDir, 0o700); err != nil {
		return fmt.Errorf("creating the state directory: %w", err)
	}
	if err := probes.EnsureFilesystems(); err != nil {
		return err
	}

	journal, err := stream.OpenJournal(filepath.Join(c.stateDir, "events"), c.bufferEvents)
	if err != nil {
		return err
	}
	buffer, err := stream.NewBuffer(c.nodeName, bootID(), c.memoryEvents, journal)
	if err != nil {
		return err
	}
	cgroups := attribution.NewCgroupPaths(c.cgroupRoot)
	pods := attribution.NewPodIndex()
	attributor := attribution.NewAttributor(cgroups, pods)
	profiles := profile.NewStore(c.learning)
	profilesPath := filepath.Join(c.stateDir, "profiles.json")
	loadProfiles(profiles, profilesPath)
	pipe := pipeline.New(c.nodeName, buffer, attributor, proctable.New(c.procRoot), profiles)
	pipe.Opens = &pipeline.OpenResolver{ProcRoot: c.procRoot, Prefixes: c.sensitive.prefixes()}
	classifier := workloads.New(c.procRoot)
	classifier.Emit = func(ctx pipeline.EventContext, details model.ClassifiedDetails) {
		pipe.Emit(ctx, model.KindClassified, details)
	}
	pipe.Workloads = classifier
	pipe.OnMCPInitialize = classifier.MCPInitialize
	pipe.OnMCPAnswered = classifier.MCPAnswered

	stop := make(chan struct{})
	profilesSaved := make(chan struct{})
	go saveProfiles(profiles, profilesPath, stop, profilesSaved)
	if !c.noKube {
		client, err := kubeClient(c.kubeconfig)
		if err != nil {
			return err
		}
		go client.WatchPods(pods, func(err error) { log.Printf("pod watch: %v (retrying)", err) }, stop)
	}

	set, err := probes.Load(probes.Options{RingBufferBytes: uint32(c.ringBytes), CgroupRoot: c.cgroupRoot,
		Prefixes: c.sensitive.prefixes(), WithTLS: !c.noTLS})
	if err != nil {
		return err
	}
	defer set.Close()
	var tlsCounters func() []api.Counter
	if set.TLS != nil {
		tlsCapture := newTLSCapture(set, pipe, c.procRoot, classifier)
		tlsCounters = tlsCapture.counters
		pipe.OnExec = tlsCapture.onExec
		pipe.TLS = tlsCapture.handle
		tlsCapture.attachKnownLibraries()
		defer tlsCapture.Close()
	}
	reader, err := startReader(set, pipe)
	if err != nil {
		return err
	}

	server := &api.Server{Node: c.nodeName, Token: token, Buffer: buffer, Pipeline: pipe, Profiles: profiles, Probes: set,
		PodsSynced: pods.Synced, Unattributed: attributor.Unattributed.Load}
	if tlsCounters != nil {
		server.TLSCounters = tlsCounters
	}
	pollerDone := make(chan struct{})
	if c.noEnforcement {
		close(pollerDone)
	}
	if !c.noEnforcement {
		manager, err := enforce.Open(c.cgroupRoot, c.pinDir, c.stateDir, set, attributor.CgroupPathOfContainer)
		if err != nil {
			log.Printf("enforcement unavailable: %v", err)
			close(pollerDone)
		} else {
			server.Enforcement = manager
			defer manager.Close()
			go func() {
				pollVerdicts(manager, pipe, stop)
				close(pollerDone)
			}()
		}
	}

	// Loading decoded the kernel's BTF (tens of MiB); hand that memory back before settling into steady state.
	runtime.GC()
	debug.FreeOSMemory()

	listener, err := net.Listen("tcp", c.listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", c.listen, err)
	}
	httpServer := &http.Server{
		Handler:           server.Handler(),
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{certificate}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          log.New(os.Stderr, "api: ", log.LstdFlags|log.LUTC),
	}
	served := make(chan error, 1)
	go func() { served <- httpServer.ServeTLS(listener, "", "") }()
	log.Printf("vigil-collector on %s serving https://%s (node %s, buffer %d events)", c.nodeName, listener.Addr(), c.nodeName, c.bufferEvents)

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	select {
	case sig := <-signals:
		log.Printf("%v: shutting down", sig)
	case err := <-served:
		log.Printf("API server stopped: %v", err)
	}
	close(stop)
	<-pollerDone // the verdict poller reads the enforcement maps, closed on return
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	httpServer.Shutdown(ctx)
	reader.Close()
	<-profilesSaved
	return journal.Close()
}

func checkListen(address string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("--listen %q is not host:port", address)
	}
	ip := net.ParseIP(host)
	if allowRemote || host == "localhost" || (ip != nil && ip.IsLoopback()) {
		return nil
	}
	return fmt.Errorf("--listen %s is not a loopback address; pass --allow-remote to serve beyond this node", address)
}

func kubeClient(kubeconfig string) (*kube.Client, error) {
	if kubeconfig != "" {
		return kube.FromKubeconfig(kubeconfig)
	}
	return kube.InCluster()
}

func bootID() string {
	raw, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return "boot"
	}
	return strings.ReplaceAll(strings.TrimSpace(string(raw)), "-", "")[:8]
}
