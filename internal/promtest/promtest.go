// Package promtest starts a real Prometheus server (Debian's prometheus package) for
// integration tests and queries its HTTP API. Tests skip, saying why, when the binaries
// are missing (and fail under CI=true); scripts/ensure-prometheus.sh installs them where
// it can.
package promtest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// Binary returns the path of a Prometheus binary. Without it the test skips, or fails
// when CI=true, where every test must run.
func Binary(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		msg := fmt.Sprintf("%s not installed (Debian package prometheus; run scripts/ensure-prometheus.sh)", name)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + ": required under CI=true")
		}
		t.Skip(msg + ": test skipped")
	}
	return p
}

// FreePort returns a free TCP port on the loopback interface.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Start runs Prometheus with the given configuration on dataDir, on a free loopback
// port, until the test ends (long retention, so backfilled blocks are kept), and returns
// its base URL once it is ready.
func Start(t testing.TB, config, dataDir string) string {
	t.Helper()
	return Run(t, config, dataDir).URL
}

// Server is a Prometheus started by Run. It can be stopped and started again on the same
// address and data (AddBlocks), keeping what it has scraped: Prometheus writes no
// staleness markers when it shuts down, and replays its write-ahead log when it starts.
type Server struct {
	URL string

	t                    testing.TB
	bin, cfg, data, addr string
	log                  *os.File
	cmd                  *exec.Cmd
	exited               chan error
}

// Run runs Prometheus like Start and returns it; it is stopped when the test ends, and
// killed with the test binary if that dies first.
func Run(t testing.TB, config, dataDir string) *Server {
	t.Helper()
	s := &Server{t: t, bin: Binary(t, "prometheus"), data: dataDir}
	dir := t.TempDir()
	s.cfg = filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(s.cfg, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	var err error
	if s.log, err = os.Create(filepath.Join(dir, "prometheus.log")); err != nil {
		t.Fatal(err)
	}
	s.addr = fmt.Sprintf("127.0.0.1:%d", FreePort(t))
	s.URL = "http://" + s.addr
	t.Cleanup(func() {
		s.stop()
		s.log.Close()
		if t.Failed() {
			b, _ := os.ReadFile(s.log.Name())
			t.Logf("prometheus log:\n%s", b)
		}
	})
	s.start()
	return s
}

// start starts the process and waits until it is ready.
func (s *Server) start() {
	s.t.Helper()
	s.cmd = exec.Command(s.bin, "--config.file="+s.cfg, "--storage.tsdb.path="+s.data,
		"--storage.tsdb.retention.time=100y", "--web.listen-address="+s.addr, "--log.level=warn")
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	DieWithTest(s.cmd)
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.exited = make(chan error, 1)
	go func(cmd *exec.Cmd, exited chan<- error) { exited <- cmd.Wait() }(s.cmd, s.exited)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(s.URL + "/-/ready")
		last := ""
		if err != nil {
			last = err.Error()
		} else {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			last = resp.Status
		}
		select {
		case err := <-s.exited:
			s.exited <- err
			s.t.Fatalf("prometheus exited before it was ready: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("prometheus not ready after 30s: %s", last)
		}
	}
}

// stop stops the process (SIGTERM, then SIGKILL after 10 seconds) and waits for it.
func (s *Server) stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	s.cmd = nil
}

// AddBlocks stops Prometheus, moves the TSDB blocks of dir (made by CreateBlocks) into its
// data directory, and starts it again on the same address, where it loads them.
func (s *Server) AddBlocks(dir string) {
	s.t.Helper()
	blocks, err := os.ReadDir(dir)
	if err != nil {
		s.t.Fatal(err)
	}
	s.stop()
	for _, b := range blocks {
		if !b.IsDir() {
			continue
		}
		if err := os.Rename(filepath.Join(dir, b.Name()), filepath.Join(s.data, b.Name())); err != nil {
			s.t.Fatal(err)
		}
	}
	s.start()
}

// CreateBlocks writes the OpenMetrics file history as TSDB blocks into dir, with
// `promtool tsdb create-blocks-from openmetrics`, as a user backfills. promtool reads the
// whole file once per block, and by default makes a block of every 2 hours that holds a
// sample: one per month end of the history. --max-block-duration lets it make the largest
// blocks it can (about 4.5 years each), which Prometheus queries the same way, in a
// fifth of the time or less.
func CreateBlocks(t testing.TB, history, dir string) {
	t.Helper()
	promtool := Binary(t, "promtool")
	out, err := exec.Command(promtool, "tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=87600h", history, dir).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool tsdb create-blocks-from openmetrics: %v\n%s", err, out)
	}
}

// Result is one series of an API answer: Value for an instant query, Values for a range.
type Result struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`
	Values [][2]any          `json:"values"`
}

// API calls Prometheus's HTTP API (e.g. "/api/v1/query") and returns data.result, or an
// error with Prometheus's message.
func API(base, path string, params url.Values) ([]Result, error) {
	resp, err := http.Get(base + path + "?" + params.Encode())
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []Result `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if body.Status != "success" {
		return nil, fmt.Errorf("%s %v: %s", path, params, body.Error)
	}
	return body.Data.Result, nil
}

// Float parses a sample value of the API ("1.5", "NaN").
func Float(v any) (float64, error) {
	s, ok := v.(string)
	if !ok {
		return 0, fmt.Errorf("sample value %v is not a string", v)
	}
	return strconv.ParseFloat(s, 64)
}
