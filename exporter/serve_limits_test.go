package exporter_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/exporter"
)

// TestMethods: /metrics and the landing page answer GET and HEAD only (issue 10,
// point 6); anything else is 405 with the methods allowed.
func TestMethods(t *testing.T) {
	e := newExporter(t, fixtureLake(t), testProfile(t))
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	for _, c := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/metrics", 200},
		{"HEAD", "/metrics", 200},
		{"POST", "/metrics", 405},
		{"PUT", "/metrics", 405},
		{"DELETE", "/metrics", 405},
		{"PATCH", "/metrics", 405},
		{"OPTIONS", "/metrics", 405},
		{"GET", "/", 200},
		{"POST", "/", 405},
	} {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, srv.URL+c.path, strings.NewReader(""))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != c.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.want)
			}
			if c.want == 405 && !strings.Contains(resp.Header.Get("Allow"), "GET") {
				t.Errorf("Allow = %q", resp.Header.Get("Allow"))
			}
			if c.method == "HEAD" && len(body) > 0 {
				t.Errorf("HEAD with a body of %d bytes", len(body))
			}
		})
	}
}

// rawGET sends one keep-alive GET /metrics on c and reads the whole response.
func rawGET(t *testing.T, c net.Conn) {
	t.Helper()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, "GET /metrics HTTP/1.1\r\nHost: test\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	c.SetDeadline(time.Time{})
}

// closedWithin reports whether the server closes c within d (a read sees EOF or a reset).
func closedWithin(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	_, err := c.Read(make([]byte, 1))
	var ne net.Error
	return err != nil && !(errors.As(err, &ne) && ne.Timeout())
}

// TestServerClosesIdleConnections: a keep-alive connection idle past the idle timeout,
// and one that never sends a request, are closed by the server (before, an idle
// keep-alive connection was kept for ever).
func TestServerClosesIdleConnections(t *testing.T) {
	e := newExporter(t, fixtureLake(t), testProfile(t))
	addr := serveInBackground(t, e, exporter.ServeConfig{ShutdownTimeout: 2 * time.Second,
		ReadTimeout: 300 * time.Millisecond, IdleTimeout: 300 * time.Millisecond})
	keepAlive, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer keepAlive.Close()
	rawGET(t, keepAlive)
	silent, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	if !closedWithin(keepAlive, 3*time.Second) {
		t.Error("an idle keep-alive connection is still open 3 s after a 300 ms idle timeout")
	}
	if !closedWithin(silent, 3*time.Second) {
		t.Error("a connection that sent nothing is still open 3 s after a 300 ms read timeout")
	}
}

// TestConnectionBound: with at most 8 connections, 60 idle ones (half of them
// keep-alive after a scrape, half silent) do not keep a new scrape out: it is answered
// at once, and the server has closed all but the newest few of the idle ones.
func TestConnectionBound(t *testing.T) {
	e := newExporter(t, fixtureLake(t), testProfile(t))
	addr := serveInBackground(t, e, exporter.ServeConfig{ShutdownTimeout: 2 * time.Second, MaxConnections: 8, MaxRequests: 4})
	var idle []net.Conn
	defer func() {
		for _, c := range idle {
			c.Close()
		}
	}()
	for i := 0; i < 60; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			rawGET(t, c)
		}
		idle = append(idle, c)
	}
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	start := time.Now()
	resp, err := client.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatalf("a scrape behind 60 idle connections: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || time.Since(start) > time.Second {
		t.Errorf("scrape: status %d in %s", resp.StatusCode, time.Since(start))
	}
	open := 0
	for _, c := range idle {
		if !closedWithin(c, 50*time.Millisecond) {
			open++
		}
	}
	if open > 8 {
		t.Errorf("%d of 60 idle connections still open, bound 8", open)
	}
}

// TestMaxRequests: beyond MaxRequests requests at once, the server answers 503 at once
// instead of queueing (node_exporter's --web.max-requests). The requests held are
// scrapes whose client does not read: /metrics of a lake with a large snapshot fills
// the socket buffers, so the handler blocks in its write.
func TestMaxRequests(t *testing.T) {
	lake := t.TempDir()
	ordos := safetyrisk.Ordos()
	writeSnapshot(t, lake, "20241201T020000.000000Z", fullSnapshot(ordos, asOf, true)) // about 7 MB of text
	e := newExporter(t, lake, ordos)
	addr := serveInBackground(t, e, exporter.ServeConfig{ShutdownTimeout: 2 * time.Second, MaxRequests: 2, MaxConnections: 16,
		WriteTimeout: 3 * time.Second})
	for i := 0; i < 2; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.(*net.TCPConn).SetReadBuffer(4096)
		if _, err := io.WriteString(c, "GET /metrics HTTP/1.1\r\nHost: test\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		// The status line arrives: the handler is writing, and blocks once the
		// socket buffers are full, since the rest is not read.
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil || !strings.Contains(line, "200") {
			t.Fatalf("held request %d: %q, %v", i, line, err)
		}
	}
	client := &http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("a third request while two are served: status %d, want 503", resp.StatusCode)
	}
}
