package console

import (
	"fmt"
	"path/filepath"

	"github.com/landlock-lsm/go-landlock/landlock"
	llsys "github.com/landlock-lsm/go-landlock/landlock/syscall"
)

// confineProcess is the operating system's layer, and the one that must hold on its
// own: with Landlock, the worker process (every thread, irreversibly) can read only
// the lake and write only its own temporary folder, and can neither connect nor bind
// a TCP port. It runs before DuckDB starts. Without Landlock it returns a warning
// and the other layers remain.
func confineProcess(cfg *Config) (warning string, err error) {
	abi, err := llsys.LandlockGetABIVersion()
	if err != nil || abi < 1 {
		return fmt.Sprintf("Landlock is not available (%v): the operating-system layer is off; "+
			"DuckDB's locked settings and the statement checker still apply", err), nil
	}
	read := []string{cfg.Lake}
	if real, err := filepath.EvalSymlinks(cfg.Lake); err == nil && real != cfg.Lake {
		read = append(read, real)
	}
	rules := []landlock.Rule{
		landlock.RODirs(read...),
		landlock.RWDirs(cfg.TempDir),
		// DuckDB reads its cgroup's memory limit and the number of CPUs when it starts.
		landlock.ROFiles("/proc/self/cgroup", "/proc/stat", "/sys/devices/system/cpu/online").IgnoreIfMissing(),
		landlock.RODirs("/sys/fs/cgroup").IgnoreIfMissing(),
	}
	// V5 is the newest set of rights this code asks for; BestEffort downgrades it on
	// an older kernel rather than failing (an ABI 1 kernel still stops every write but
	// truncation).
	if err := landlock.V5.BestEffort().Restrict(rules...); err != nil {
		return "", fmt.Errorf("landlock: %w", err)
	}
	if abi < 3 {
		return fmt.Sprintf("Landlock ABI %d is old: truncating files is not restricted", abi), nil
	}
	return "", nil
}
