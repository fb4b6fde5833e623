package classify

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// maxMetadataHeader bounds what is read of one METADATA or package.json: a hostile image cannot make the
// collector read a huge file.
const maxMetadataHeader = 256 << 10

// pythonEnvGlobs are where Python environments live in a container image, relative to its root.
var pythonEnvGlobs = []string{
	"usr/lib/python3*/site-packages", "usr/lib/python3*/dist-packages", "usr/lib/python3/dist-packages",
	"usr/local/lib/python3*/site-packages", "usr/local/lib/python3*/dist-packages",
	"opt/*/lib/python3*/site-packages", "opt/conda/lib/python3*/site-packages",
	"app/.venv/lib/python3*/site-packages", "app/venv/lib/python3*/site-packages", "venv/lib/python3*/site-packages",
	"root/.local/lib/python3*/site-packages", "home/*/.local/lib/python3*/site-packages",
	"home/*/.venv/lib/python3*/site-packages",
}

// PythonPackagesFromSitePackages reads name and version of every installed distribution (*.dist-info/METADATA,
// *.egg-info/PKG-INFO). root is a site-packages directory, or the root of a filesystem (a container's
// /proc/<pid>/root) whose usual Python environments are then all read. Names are as their metadata spells them.
func PythonPackagesFromSitePackages(root string) (map[string]string, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("reading Python packages: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("reading Python packages: %s is not a directory", root)
	}
	dirs := []string{root}
	if !hasDistInfo(root) {
		dirs = nil
		for _, pattern := range pythonEnvGlobs {
			matches, _ := filepath.Glob(filepath.Join(root, pattern))
			dirs = append(dirs, matches...)
		}
	}
	packages := map[string]string{}
	for _, dir := range dirs {
		readSitePackages(dir, packages)
	}
	return packages, nil
}

func hasDistInfo(dir string) bool {
	for _, pattern := range []string{"*.dist-info", "*.egg-info"} {
		if m, _ := filepath.Glob(filepath.Join(dir, pattern)); len(m) > 0 {
			return true
		}
	}
	return false
}

func readSitePackages(dir string, into map[string]string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, entry := range entries {
		var metadata string
		switch {
		case strings.HasSuffix(entry.Name(), ".dist-info"):
			metadata = filepath.Join(dir, entry.Name(), "METADATA")
		case strings.HasSuffix(entry.Name(), ".egg-info"):
			metadata = filepath.Join(dir, entry.Name(), "PKG-INFO")
			if !entry.IsDir() {
				metadata = filepath.Join(dir, entry.Name()) // an egg-info file, not a directory
			}
		default:
			continue
		}
		name, version, err := readMetadataHeader(metadata)
		if err != nil || name == "" {
			continue // a broken distribution does not hide the others
		}
		if _, dup := into[name]; !dup {
			into[name] = version
		}
	}
}

// readMetadataHeader reads the Name and Version fields of the RFC 822 header of a METADATA or PKG-INFO file.
func readMetadataHeader(path string) (name, version string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	scanner := bufio.NewScanner(io.LimitReader(f, maxMetadataHeader))
	for scanner.Scan() {
		line := scanner.Text()
		if line == "" {
			break // the header ends at the first blank line; the long description follows
		}
		if v, ok := strings.CutPrefix(line, "Name:"); ok && name == "" {
			name = strings.TrimSpace(v)
		} else if v, ok := strings.CutPrefix(line, "Version:"); ok && version == "" {
			version = strings.TrimSpace(v)
		}
	}
	return name, version, scanner.Err()
}

// NodePackagesFromPath reads name and version of the packages directly under a node_modules directory (scoped
// packages included). dir is the node_modules directory itself or the application directory that contains it.
func NodePackagesFromPath(dir string) (map[string]string, error) {
	modules := dir
	if filepath.Base(filepath.Clean(dir)) != "node_modules" {
		modules = filepath.Join(dir, "node_modules")
	}
	entries, err := os.ReadDir(modules)
	if err != nil {
		return nil, fmt.Errorf("reading Node packages: %w", err)
	}
	packages := map[string]string{}
	for _, entry := range entries {
		if !entry.IsDir() && entry.Type()&os.ModeSymlink == 0 {
			continue
		}
		if strings.HasPrefix(entry.Name(), "@") {
			scoped, err := os.ReadDir(filepath.Join(modules, entry.Name()))
			if err != nil {
				continue
			}
			for _, s := range scoped {
				readPackageJSON(filepath.Join(modules, entry.Name(), s.Name(), "package.json"), packages)
			}
			continue
		}
		if strings.HasPrefix(entry.Name(), ".") {
			continue // .bin, .package-lock.json
		}
		readPackageJSON(filepath.Join(modules, entry.Name(), "package.json"), packages)
	}
	return packages, nil
}

func readPackageJSON(path string, into map[string]string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	var pkg struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	if err := json.NewDecoder(io.LimitReader(f, maxMetadataHeader)).Decode(&pkg); err != nil && !errors.Is(err, io.EOF) {
		return
	}
	if pkg.Name != "" {
		into[pkg.Name] = pkg.Version
	}
}
