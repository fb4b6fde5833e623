package pipeline

import "golang.org/x/sys/unix"

// openFlagNames renders open(2) flags the way the event schema lists them.
func openFlagNames(flags uint32) []string {
	names := []string{}
	switch flags & unix.O_ACCMODE {
	case unix.O_RDONLY:
		names = append(names, "O_RDONLY")
	case unix.O_WRONLY:
		names = append(names, "O_WRONLY")
	case unix.O_RDWR:
		names = append(names, "O_RDWR")
	}
	for _, f := range []struct {
		bit  uint32
		name string
	}{{unix.O_CREAT, "O_CREAT"}, {unix.O_EXCL, "O_EXCL"}, {unix.O_TRUNC, "O_TRUNC"}, {unix.O_APPEND, "O_APPEND"},
		{unix.O_NONBLOCK, "O_NONBLOCK"}, {unix.O_DIRECTORY, "O_DIRECTORY"}, {unix.O_NOFOLLOW, "O_NOFOLLOW"},
		{unix.O_CLOEXEC, "O_CLOEXEC"}, {unix.O_PATH, "O_PATH"}, {unix.O_TMPFILE &^ unix.O_DIRECTORY, "O_TMPFILE"}} {
		if flags&f.bit == f.bit {
			names = append(names, f.name)
		}
	}
	return names
}

// Categories of sensitive files, indexed by the number the BPF prefix table carries.
var Categories = []string{"sa-token", "shadow", "ssh-key", "cloud-credential", "kubeconfig", "model", "other"}

func categoryName(index uint32) string {
	if int(index) < len(Categories) {
		return Categories[index]
	}
	return "other"
}
