package probes

import (
	"bufio"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

func mounted(path, kind string) bool {
	file, err := os.Open("/proc/self/mounts")
	if err != nil {
		return false
	}
	defer file.Close()
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) >= 3 && fields[1] == path && fields[2] == kind {
			return true
		}
	}
	return false
}

func mount(kind, path string) error {
	return unix.Mount(kind, path, kind, 0, "")
}
