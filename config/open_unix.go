//go:build unix

package config

import "syscall"

// openNonblock makes opening a FIFO return at once instead of waiting for a
// writer; readRegular then refuses it. A regular file ignores the flag.
const openNonblock = syscall.O_NONBLOCK
