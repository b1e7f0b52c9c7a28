//go:build integration

package exporter_test

// serve under 20,000 idle connections (issue 10, point 6): the server runs in a child
// process (this test binary, re-run), so that its file descriptors and memory are its
// own and can be read from /proc; the idle connections come from this process and a
// second child, since one process here may hold at most 20,000 descriptors
// (RLIMIT_NOFILE's hard limit, which an unprivileged test cannot raise). The server
// child keeps that same limit: without a bound on connections, it runs out of
// descriptors and no scrape gets in. Loopback only; about 30 s.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk/exporter"
)

const (
	idleConnsTotal = 20000
	childServeEnv  = "SAFETYRISK_TEST_SERVE_CHILD"
	childIdleEnv   = "SAFETYRISK_TEST_IDLE_CHILD" // the server's address, a comma, how many
)

// TestChildServe is the server child: it serves the fixture lake with the default
// ServeConfig, prints its address and stops when its standard input closes.
func TestChildServe(t *testing.T) {
	if os.Getenv(childServeEnv) == "" {
		t.Skip("run by TestServeUnderIdleConnections")
	}
	e := newExporter(t, fixtureLake(t), testProfile(t))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { io.Copy(io.Discard, os.Stdin); cancel() }()
	fmt.Printf("ADDR %s\n", l.Addr())
	if err := e.ServeListener(ctx, l, exporter.ServeConfig{ShutdownTimeout: time.Second}); err != nil {
		t.Fatal(err)
	}
}

// TestChildIdle is the second client child: it opens its share of idle connections,
// prints how many, and holds them until its standard input closes.
func TestChildIdle(t *testing.T) {
	addr, count, _ := strings.Cut(os.Getenv(childIdleEnv), ",")
	if addr == "" {
		t.Skip("run by TestServeUnderIdleConnections")
	}
	n, err := strconv.Atoi(count)
	if err != nil {
		t.Fatal(err)
	}
	conns, failed := openIdle(addr, n, 20*time.Second)
	fmt.Printf("READY %d %d\n", len(conns), failed)
	io.Copy(io.Discard, os.Stdin)
	for _, c := range conns {
		c.Close()
	}
}

// openIdle opens n connections to addr, 64 at a time, within d: each sends a keep-alive
// GET /metrics, reads the answer (or gives up after 2 s) and goes idle, as in the
// reported attack. (Connections that send nothing are closed after the read header
// timeout, before and after the bound: TestConnectionBound covers them.) It returns
// the connections open and how many could not be opened.
func openIdle(addr string, n int, d time.Duration) ([]net.Conn, int) {
	deadline := time.Now().Add(d)
	var mu sync.Mutex
	var conns []net.Conn
	var failed atomic.Int64
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 64; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
				if time.Now().After(deadline) {
					failed.Add(1)
					continue
				}
				c, err := net.DialTimeout("tcp", addr, 2*time.Second)
				if err != nil {
					failed.Add(1)
					continue
				}
				c.SetDeadline(time.Now().Add(2 * time.Second))
				io.WriteString(c, "GET /metrics HTTP/1.1\r\nHost: idle\r\n\r\n")
				if resp, err := http.ReadResponse(bufio.NewReader(c), nil); err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				c.SetDeadline(time.Time{})
				mu.Lock()
				conns = append(conns, c)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return conns, int(failed.Load())
}

// procStatus reads a process's open descriptors and its resident memory (VmRSS) and
// peak (VmHWM), in MB.
func procStatus(t *testing.T, pid int) (fds int, rss, hwm float64) {
	t.Helper()
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && (f[0] == "VmRSS:" || f[0] == "VmHWM:") {
			kb, _ := strconv.ParseFloat(f[1], 64)
			if f[0] == "VmRSS:" {
				rss = kb / 1024
			} else {
				hwm = kb / 1024
			}
		}
	}
	return len(ents), rss, hwm
}

// child starts this test binary running only the test named run, with env set.
func child(t *testing.T, run, env string) (*exec.Cmd, io.WriteCloser, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+run+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env)
	stderr, err := os.Create(t.TempDir() + "/" + run + ".stderr")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	return cmd, stdin, bufio.NewScanner(stdout)
}

// waitLine returns the first line of sc starting with prefix, or fails after d.
func waitLine(t *testing.T, sc *bufio.Scanner, prefix string, d time.Duration) string {
	t.Helper()
	got := make(chan string, 1)
	go func() {
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), prefix) {
				got <- strings.TrimPrefix(sc.Text(), prefix)
				return
			}
		}
		close(got)
	}()
	select {
	case s, ok := <-got:
		if !ok {
			t.Fatalf("child ended before printing %q", prefix)
		}
		return s
	case <-time.After(d):
		t.Fatalf("no %q from the child within %s", prefix, d)
	}
	return ""
}

func TestServeUnderIdleConnections(t *testing.T) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	// Each client process holds half the connections and keeps 500 descriptors spare;
	// where the limit is lower than that, as many as it allows.
	half := min(idleConnsTotal/2, int(lim.Cur)-500)
	if half < 2*exporter.DefaultMaxConnections {
		t.Fatalf("RLIMIT_NOFILE %d: too low to hold more idle connections than the bound", lim.Cur)
	}
	t.Logf("RLIMIT_NOFILE of each process: %d (hard %d); %d idle connections", lim.Cur, lim.Max, 2*half)

	server, _, out := child(t, "TestChildServe", childServeEnv+"=1")
	addr := waitLine(t, out, "ADDR ", 30*time.Second)
	pid := server.Process.Pid
	scrape := func() (time.Duration, error) {
		client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
		start := time.Now()
		resp, err := client.Get("http://" + addr + "/metrics")
		if err != nil {
			return time.Since(start), err
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return time.Since(start), err
		}
		if resp.StatusCode != 200 {
			return time.Since(start), fmt.Errorf("status %d", resp.StatusCode)
		}
		return time.Since(start), nil
	}
	if d, err := scrape(); err != nil {
		t.Fatalf("first scrape: %v (%s)", err, d)
	}
	fds0, rss0, _ := procStatus(t, pid)

	_, idleIn, idleOut := child(t, "TestChildIdle", fmt.Sprintf("%s=%s,%d", childIdleEnv, addr, half))
	mine, failed := openIdle(addr, half, 20*time.Second)
	defer func() {
		for _, c := range mine {
			c.Close()
		}
	}()
	f := strings.Fields(waitLine(t, idleOut, "READY ", 40*time.Second))
	theirs, _ := strconv.Atoi(f[0])
	theirFailed, _ := strconv.Atoi(f[1])
	opened := len(mine) + theirs
	t.Logf("idle connections opened: %d (%d failed to open)", opened, failed+theirFailed)

	var worst time.Duration
	for i := 0; i < 5; i++ {
		d, err := scrape()
		if err != nil {
			t.Errorf("scrape %d under %d idle connections: %v after %s", i, opened, err, d.Round(time.Millisecond))
		}
		worst = max(worst, d)
	}
	fds1, rss1, hwm1 := procStatus(t, pid)

	for _, c := range mine {
		c.Close()
	}
	mine = nil
	idleIn.Close()
	time.Sleep(2 * time.Second)
	if d, err := scrape(); err != nil {
		t.Errorf("scrape after the idle connections closed: %v after %s", err, d)
	}
	fds2, rss2, hwm2 := procStatus(t, pid)
	t.Logf("server: before %d fds, RSS %.1f MB; under %d idle connections %d fds, RSS %.1f MB (peak %.1f MB), slowest of 5 scrapes %s; after %d fds, RSS %.1f MB (peak %.1f MB)",
		fds0, rss0, opened, fds1, rss1, hwm1, worst.Round(time.Millisecond), fds2, rss2, hwm2)
	if fds1 > exporter.DefaultMaxConnections+64 {
		t.Errorf("%d descriptors open under the idle connections; bound %d connections", fds1, exporter.DefaultMaxConnections)
	}
	if hwm1-rss0 > 64 {
		t.Errorf("peak RSS %.1f MB, %.1f MB above the %.1f MB before", hwm1, hwm1-rss0, rss0)
	}
}
