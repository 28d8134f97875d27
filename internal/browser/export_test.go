package browser

// PID is the process id of the browser.
func PID(b *Browser) int { return b.cmd.Process.Pid }

// Alive says whether a process of the browser's group is left.
func Alive(pid int) bool { return groupAlive(pid) }
