package promtest

import (
	"os/exec"
	"syscall"
)

// DieWithTest has the kernel kill cmd (before it is started) when the test binary that
// starts it dies, so that a test killed by a timeout or an interrupt, where no cleanup
// runs, leaves no Prometheus or server running. (The signal is sent when the starting
// OS thread ends; Go ends a thread only for a goroutine that locked it and exits, which
// no test here does.)
func DieWithTest(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}
