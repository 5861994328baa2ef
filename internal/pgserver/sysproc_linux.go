package pgserver

import "syscall"

// sysProcAttr puts the server in its own process group (a terminal's Ctrl-C
// must not reach it before we stop it in order), runs it as cred when set, and
// has the kernel send it deathSig if our process dies without stopping it
// (no orphaned servers after a kill -9 or a test timeout).
func sysProcAttr(cred *syscall.Credential, deathSig syscall.Signal) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Credential: cred, Pdeathsig: deathSig}
}
