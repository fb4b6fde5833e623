package syscallnames

import "strconv"

// Name returns the syscall's name, or "syscall_<nr>" for a number this table does not know (newer kernels).
func Name(nr uint32) string {
	if name, ok := names[nr]; ok {
		return name
	}
	return "syscall_" + strconv.FormatUint(uint64(nr), 10)
}
