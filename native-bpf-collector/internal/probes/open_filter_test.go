package probes

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/ringbuf"
)

// The in-kernel open filter (prefix match and the "needs resolving" scan, both 8 bytes at a time) against a plain
// reference, on real openat(2) calls from this test: paths whose `/`, `.` and NUL fall on every position of a word,
// prefixes that end on every position, hidden files and dot-dot look-alikes.

// referenceNeedsResolving is the byte-by-byte rule the kernel side implements.
func referenceNeedsResolving(path string) bool {
	if !strings.HasPrefix(path, "/") {
		return true
	}
	at := func(i int) byte {
		if i < len(path) {
			return path[i]
		}
		return 0
	}
	for i := 0; i < len(path) && i < 256-4+1; i++ {
		if path[i] != '/' {
			continue
		}
		a, b := at(i+1), at(i+2)
		if a == '/' || a == '.' && (b == '/' || b == 0) || a == '.' && b == '.' && (at(i+3) == '/' || at(i+3) == 0) {
			return true
		}
	}
	return false
}

func TestOpenFilterMatchesTheReferenceOnEveryAlignment(t *testing.T) {
	requireBPF(t)
	base := fmt.Sprintf("/tmp/vigil-open-filter-%d", os.Getpid())
	prefixes := []SensitivePrefix{{Prefix: base + "/s", Category: 1}, {Prefix: base + "/secret-token-0123456789", Category: 2}}
	for n := 1; n <= 9; n++ { // prefixes ending on every byte of a word
		prefixes = append(prefixes, SensitivePrefix{Prefix: base + "/p" + strings.Repeat("x", n) + "/", Category: uint32(10 + n)})
	}
	t.Run("long prefixes", func(t *testing.T) { checkOpenFilter(t, base, prefixes) })
	// A prefix too short to have two bytes after its `/` turns the start-byte filter off.
	t.Run("a two-byte prefix", func(t *testing.T) { checkOpenFilter(t, base, []SensitivePrefix{{Prefix: "/t", Category: 3}}) })
}

func checkOpenFilter(t *testing.T, base string, prefixes []SensitivePrefix) {
	objects := loadSyscallHook(t)
	if err := writePrefixes(objects.OpenPrefixes, objects.PrefixStarts, prefixes); err != nil {
		t.Fatal(err)
	}
	ring, err := ringbuf.NewReader(objects.Events)
	if err != nil {
		t.Fatal(err)
	}
	defer ring.Close()

	// Paths: every pad length shifts the interesting part across a word boundary.
	var paths []string
	for pad := 0; pad < 9; pad++ {
		p := base + "/" + strings.Repeat("a", pad)
		for _, tail := range []string{"", "/b", "//b", "/./b", "/.", "/..", "/../b", "/.hidden", "/..hidden", "/...", "/.b/c", "/x.", "/x..", "/x/.", "b/.//", "/.ssh/id"} {
			paths = append(paths, p+tail)
		}
		paths = append(paths, base+"/p"+strings.Repeat("x", pad)+"/key", base+"/p"+strings.Repeat("x", pad), base+"/s"+strings.Repeat("y", pad))
		// A path, then a shorter one: the older path's `//` lies right after the new NUL, in the same word (this kernel's
		// word-at-a-time copy zeroes the rest of that word; a byte-wise copy near a page end would not).
		paths = append(paths, p+"bc//d", p+"b")
	}
	paths = append(paths, "relative", "./x", base+"/secret-token-012345678", base+"/secret-token-0123456789/k", "/", "//",
		base+"/"+strings.Repeat("long", 60)+"//x") // beyond the 256 bytes read: cut, the // not seen
	// A long path first, then short ones: the scan must stop at each path's NUL, not read the older path behind it.
	paths = append([]string{base + "/" + strings.Repeat("z", 100) + "//after"}, paths...)

	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	tid := uint32(syscall.Gettid())
	exit, enter := attachSyscallHook(t, objects)

	want := map[string]uint32{}
	for _, path := range paths {
		category, matched := uint32(0), false
		if strings.HasPrefix(path, "/") {
			for _, p := range prefixes {
				if strings.HasPrefix(path, p.Prefix) {
					category, matched = p.Category, true
					break
				}
			}
		}
		kernelPath := path
		if len(kernelPath) > 255 {
			kernelPath = kernelPath[:255]
		}
		if !matched && referenceNeedsResolving(kernelPath) {
			category, matched = CategoryUnresolved, true
		}
		if matched {
			want[kernelPath] = category
		}
		fd, err := syscall.Open(path, syscall.O_RDONLY, 0)
		if err == nil {
			syscall.Close(fd)
		}
	}
	enter.Close()
	for _, l := range exit {
		l.Close()
	}

	got := map[string]uint32{}
	for {
		ring.SetDeadline(time.Now().Add(50 * time.Millisecond))
		record, err := ring.Read()
		if errors.Is(err, os.ErrDeadlineExceeded) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if kind, err := RecordKind(record.RawSample); err != nil || kind != KindFileOpen {
			continue // the hook's syscall-set records
		}
		e, err := View[OpenEvent](record.RawSample)
		if err != nil {
			t.Fatal(err)
		}
		if e.H.Tid != tid {
			continue // another process's open on this host
		}
		got[CString(e.Path[:])] = e.Category
	}
	for path, category := range want {
		if g, ok := got[path]; !ok || g != category {
			t.Errorf("%q: reported %v (category %#x), want category %#x", path, ok, g, category)
		}
	}
	for path, category := range got {
		if _, ok := want[path]; !ok {
			t.Errorf("%q: reported with category %#x, but it matches no prefix and needs no resolving", path, category)
		}
	}
	if len(want) < 50 {
		t.Fatalf("only %d of %d paths were expected to be reported: the case list lost its point", len(want), len(paths))
	}
}

// loadSyscallHook loads the syscall hook's object on its own (its own ring buffer), closed with the test.
func loadSyscallHook(t *testing.T) *syscallsObjects {
	t.Helper()
	spec, err := loadSyscalls()
	if err != nil {
		t.Fatal(err)
	}
	spec.Maps["events"].MaxEntries = 1 << 22
	var objects syscallsObjects
	if err := spec.LoadAndAssign(&objects, nil); err != nil {
		t.Fatalf("loading the syscall probes: %v", verifierDetail(err))
	}
	t.Cleanup(func() { objects.Close() })
	return &objects
}

// attachSyscallHook attaches the open family's exits, then the sys_enter hook, as the collector does.
func attachSyscallHook(t *testing.T, objects *syscallsObjects) ([]link.Link, link.Link) {
	t.Helper()
	var exits []link.Link
	for _, name := range OpenExitTracepoints {
		l, err := link.Tracepoint("syscalls", name, objects.ExitOpen, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		exits = append(exits, l)
	}
	enter, err := link.AttachTracing(link.TracingOptions{Program: objects.OnSysEnter})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { enter.Close() })
	return exits, enter
}

// Every syscall of the open family is seen, not only openat(2): musl's fopen() calls open(2), and a program may call
// creat(2) or openat2(2). Each report carries the flags given and the result returned.
func TestEveryOpenSyscallIsReported(t *testing.T) {
	requireBPF(t)
	dir := t.TempDir()
	objects := loadSyscallHook(t)
	if err := writePrefixes(objects.OpenPrefixes, objects.PrefixStarts, []SensitivePrefix{{Prefix: dir + "/secret", Category: 7}}); err != nil {
		t.Fatal(err)
	}
	ring, err := ringbuf.NewReader(objects.Events)
	if err != nil {
		t.Fatal(err)
	}
	defer ring.Close()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for _, name := range []string{"secret-open", "secret-openat", "secret-openat2"} {
		if err := os.WriteFile(dir+"/"+name, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tid := uint32(syscall.Gettid())
	exits, enter := attachSyscallHook(t, objects)

	call := func(nr uintptr, args ...uintptr) int32 {
		for len(args) < 4 {
			args = append(args, 0)
		}
		r, _, errno := syscall.Syscall6(nr, args[0], args[1], args[2], args[3], 0, 0)
		if errno != 0 {
			return -int32(errno)
		}
		syscall.Close(int(r))
		return int32(r)
	}
	pathOf := func(name string) uintptr {
		p, _ := syscall.BytePtrFromString(dir + "/" + name)
		return uintptr(unsafe.Pointer(p))
	}
	type want struct {
		flags uint32
		ok    bool // a file descriptor, not an error
	}
	wants := map[string]want{}
	wants[dir+"/secret-creat"] = want{syscall.O_WRONLY | syscall.O_CREAT | syscall.O_TRUNC, call(syscall.SYS_CREAT, pathOf("secret-creat"), 0o600) >= 0}
	wants[dir+"/secret-open"] = want{syscall.O_RDONLY, call(syscall.SYS_OPEN, pathOf("secret-open"), syscall.O_RDONLY) >= 0}
	wants[dir+"/secret-missing"] = want{syscall.O_RDONLY, call(syscall.SYS_OPEN, pathOf("secret-missing"), syscall.O_RDONLY) >= 0}
	atFdcwd := -100
	wants[dir+"/secret-openat"] = want{syscall.O_RDONLY | syscall.O_CLOEXEC, call(syscall.SYS_OPENAT, uintptr(atFdcwd), pathOf("secret-openat"), syscall.O_RDONLY|syscall.O_CLOEXEC) >= 0}
	how := struct{ flags, mode, resolve uint64 }{flags: syscall.O_RDONLY | syscall.O_NOFOLLOW}
	const sysOpenat2 = 437
	wants[dir+"/secret-openat2"] = want{syscall.O_RDONLY | syscall.O_NOFOLLOW, call(sysOpenat2, uintptr(atFdcwd), pathOf("secret-openat2"), uintptr(unsafe.Pointer(&how)), unsafe.Sizeof(how)) >= 0}
	call(syscall.SYS_OPEN, pathOf("ordinary"), syscall.O_RDONLY) // matches no prefix: not reported
	enter.Close()
	for _, l := range exits {
		l.Close()
	}
	if !wants[dir+"/secret-creat"].ok || !wants[dir+"/secret-open"].ok || wants[dir+"/secret-missing"].ok || !wants[dir+"/secret-openat2"].ok {
		t.Fatalf("the test's own syscalls did not do what it expected: %+v", wants)
	}

	got := map[string]want{}
	for {
		ring.SetDeadline(time.Now().Add(50 * time.Millisecond))
		record, err := ring.Read()
		if errors.Is(err, os.ErrDeadlineExceeded) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if kind, err := RecordKind(record.RawSample); err != nil || kind != KindFileOpen {
			continue // the hook's syscall-set records
		}
		e, err := View[OpenEvent](record.RawSample)
		if err != nil {
			t.Fatal(err)
		}
		if e.H.Tid != tid || e.Category != 7 {
			continue
		}
		got[CString(e.Path[:])] = want{e.Flags, e.Ret >= 0}
	}
	for path, w := range wants {
		if g, ok := got[path]; !ok || g != w {
			t.Errorf("%s: reported %v as %+v, want %+v", path, ok, g, w)
		}
	}
	if len(got) != len(wants) {
		t.Errorf("reported %d opens, want %d: %+v", len(got), len(wants), got)
	}
}
