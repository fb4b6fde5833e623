package pipeline

import (
	"time"

	"golang.org/x/sys/unix"
)

// monoClock converts bpf_ktime_get_ns (CLOCK_MONOTONIC) to wall-clock time with an offset taken once at start.
type monoClock struct{ offset int64 }

func newMonoClock() monoClock {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return monoClock{offset: time.Now().UnixNano() - ts.Nano()}
}

func (c monoClock) wall(monoNs uint64) time.Time {
	return time.Unix(0, int64(monoNs)+c.offset)
}

// MonotonicNow is the current CLOCK_MONOTONIC time in ns, the clock task start times use.
func MonotonicNow() uint64 {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return uint64(ts.Nano())
}
