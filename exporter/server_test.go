package exporter_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk/exporter"
	"golang.org/x/crypto/bcrypt"
)

// selfSigned writes a certificate for 127.0.0.1 and its key into dir.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "safetyrisk test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// serveInBackground serves e on a loopback port until the test ends and returns its
// address; the test fails if Serve does not return nil after the cancel.
func serveInBackground(t *testing.T, e *exporter.Exporter, sc exporter.ServeConfig) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.ServeListener(ctx, l, sc) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve after cancel: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("serve did not shut down within 10s")
		}
	})
	return l.Addr().String()
}

// TestTLSBasicAuth: TLS and basic auth from an exporter-toolkit web config file.
func TestTLSBasicAuth(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	webConfig := filepath.Join(dir, "web.yml")
	cfg := fmt.Sprintf("tls_server_config:\n  cert_file: %s\n  key_file: %s\nbasic_auth_users:\n  prometheus: %s\n", certFile, keyFile, hash)
	if err := os.WriteFile(webConfig, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newExporter(t, fixtureLake(t), testProfile(t))
	addr := serveInBackground(t, e, exporter.ServeConfig{WebConfigFile: webConfig, ShutdownTimeout: 2 * time.Second})
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}

	get := func(scheme, user, pass string) (int, string, error) {
		req, _ := http.NewRequest("GET", scheme+"://"+addr+"/metrics", nil)
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), nil
	}
	for _, c := range []struct {
		name, scheme, user, pass string
		want                     int
	}{
		{"no credentials", "https", "", "", http.StatusUnauthorized},
		{"wrong password", "https", "prometheus", "guess", http.StatusUnauthorized},
		{"unknown user", "https", "admin", "s3cret", http.StatusUnauthorized},
		{"good credentials", "https", "prometheus", "s3cret", http.StatusOK},
		{"plain http", "http", "prometheus", "s3cret", http.StatusBadRequest}, // Go's TLS server answers 400 to plain HTTP
	} {
		t.Run(c.name, func(t *testing.T) {
			code, body, err := get(c.scheme, c.user, c.pass)
			if err != nil {
				t.Fatal(err)
			}
			if code != c.want {
				t.Fatalf("status %d, want %d", code, c.want)
			}
			if c.want == http.StatusOK && !strings.Contains(body, "\nsafetyrisk_up 1\n") {
				t.Errorf("authorised scrape without safetyrisk_up 1:\n%.500s", body)
			}
		})
	}
	// A client that does not trust the certificate is refused.
	if _, err := http.Get("https://" + addr + "/metrics"); err == nil {
		t.Error("an untrusted certificate was accepted")
	}
}

func TestLandingPage(t *testing.T) {
	e := newExporter(t, fixtureLake(t), testProfile(t))
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/"); code != 200 || !strings.Contains(body, "No indicator snapshot is loaded yet") {
		t.Errorf("landing before a load: %d\n%.300s", code, body)
	}
	if err := e.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	code, body := get("/")
	for _, want := range []string{`href="/metrics"`, "20241201T020000.000000Z", "as of 2024-11-30", "11 indicator series", testProfile(t).City.Name} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("landing page (status %d) lacks %q", code, want)
		}
	}
	if code, _ := get("/nothing"); code != http.StatusNotFound {
		t.Errorf("GET /nothing: %d, want 404", code)
	}
}

func TestServeConfigValidate(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "web.yml")
	if err := os.WriteFile(bad, []byte("tls_server_config:\n  cert_file: /nonexistent.pem\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		sc   exporter.ServeConfig
		want string
	}{
		{"bad web config", exporter.ServeConfig{WebConfigFile: bad}, "web config"},
		{"missing web config", exporter.ServeConfig{WebConfigFile: bad + ".none"}, "web config"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.sc.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Validate = %v, want an error with %q", err, c.want)
			}
		})
	}
	ok := exporter.ServeConfig{}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid config: %v", err)
	}
}
