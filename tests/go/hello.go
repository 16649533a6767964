// A Go program (Go's own runtime and linker, no libc): its start-up
// creates threads, installs signal handlers and uses futexes.  It carries
// a Go build-ID note but no GNU ABI tag, so the executor must know it for
// Linux by other means (docs/executor.md).  A goroutine sums its
// arguments' lengths over a channel; it exits with the number of
// arguments after argv[0].
package main

import (
	"fmt"
	"os"
)

func main() {
	lengths := make(chan int)
	go func() {
		for _, a := range os.Args[1:] {
			lengths <- len(a)
		}
		close(lengths)
	}()
	total := 0
	for n := range lengths {
		total += n
	}
	first := "-"
	if len(os.Args) > 1 {
		first = os.Args[1]
	}
	fmt.Printf("Hello from Go: argv[1]=%s bytes=%d pid=%d\n", first, total, os.Getpid())
	os.Exit(len(os.Args) - 1)
}
