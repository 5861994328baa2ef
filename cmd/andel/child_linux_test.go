package main

import "syscall"

// childAttr has the kernel kill a child process (a server the test
// started) when the test binary dies without stopping it.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
