package temporalclient

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/config"
	"github.com/hpcontest/contest/internal/installation"
)

// writeCert writes a self-signed certificate and its key into dir and returns the paths;
// the certificate doubles as the CA that signed it.
func writeCert(t *testing.T, dir string) (certPath, keyPath string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "contest-worker"},
		DNSNames:              []string{"temporal.example.internal"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPath, keyPath = filepath.Join(dir, "client.pem"), filepath.Join(dir, "client.key")
	write(t, certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	write(t, keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	return certPath, keyPath
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestOptions(t *testing.T) {
	dir := t.TempDir()
	cert, key := writeCert(t, dir)
	garbage := filepath.Join(dir, "garbage.pem")
	write(t, garbage, []byte("not a certificate"))
	missing := filepath.Join(dir, "missing.pem")

	base := config.Config{TemporalAddress: "temporal.example.internal:7233", TemporalNamespace: "contest"}
	with := func(tt config.TemporalTLS) config.Config { c := base; c.TemporalTLS = tt; return c }

	tests := []struct {
		name      string
		cfg       config.Config
		wantErr   string // substring; empty when the options must build
		wantTLS   bool
		wantCerts int
		wantCA    bool
		wantCreds bool
		wantSNI   string
	}{
		{name: "plain", cfg: base},
		{name: "mTLS with CA and server name", cfg: with(config.TemporalTLS{CertFile: cert, KeyFile: key, CAFile: cert, ServerName: "temporal.example.internal"}),
			wantTLS: true, wantCerts: 1, wantCA: true, wantSNI: "temporal.example.internal"},
		{name: "server CA only", cfg: with(config.TemporalTLS{CAFile: cert}), wantTLS: true, wantCA: true},
		{name: "API key implies TLS", cfg: with(config.TemporalTLS{APIKey: "secret-key"}), wantTLS: true, wantCreds: true},
		{name: "certificate without key", cfg: with(config.TemporalTLS{CertFile: cert}), wantErr: "TEMPORAL_TLS_KEY"},
		{name: "key without certificate", cfg: with(config.TemporalTLS{KeyFile: key}), wantErr: "TEMPORAL_TLS_CERT"},
		{name: "missing certificate file", cfg: with(config.TemporalTLS{CertFile: missing, KeyFile: key}), wantErr: "TEMPORAL_TLS_CERT=" + missing},
		{name: "missing key file", cfg: with(config.TemporalTLS{CertFile: cert, KeyFile: missing}), wantErr: "TEMPORAL_TLS_KEY=" + missing},
		{name: "certificate is not PEM", cfg: with(config.TemporalTLS{CertFile: garbage, KeyFile: key}), wantErr: "TEMPORAL_TLS_CERT=" + garbage},
		{name: "missing CA file", cfg: with(config.TemporalTLS{CAFile: missing}), wantErr: "TEMPORAL_TLS_CA=" + missing},
		{name: "CA is not PEM", cfg: with(config.TemporalTLS{CAFile: garbage}), wantErr: "TEMPORAL_TLS_CA=" + garbage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts, err := Options(tc.cfg, Extras{})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one naming %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if opts.HostPort != base.TemporalAddress || opts.Namespace != base.TemporalNamespace {
				t.Errorf("address %q namespace %q", opts.HostPort, opts.Namespace)
			}
			tlsCfg := opts.ConnectionOptions.TLS
			if (tlsCfg != nil) != tc.wantTLS {
				t.Fatalf("TLS %v, want %v", tlsCfg != nil, tc.wantTLS)
			}
			if (opts.Credentials != nil) != tc.wantCreds {
				t.Errorf("credentials %v, want %v", opts.Credentials != nil, tc.wantCreds)
			}
			if tlsCfg == nil {
				return
			}
			if len(tlsCfg.Certificates) != tc.wantCerts {
				t.Errorf("%d client certificates, want %d", len(tlsCfg.Certificates), tc.wantCerts)
			}
			if (tlsCfg.RootCAs != nil) != tc.wantCA {
				t.Errorf("root CAs %v, want %v", tlsCfg.RootCAs != nil, tc.wantCA)
			}
			if tlsCfg.ServerName != tc.wantSNI {
				t.Errorf("server name %q, want %q", tlsCfg.ServerName, tc.wantSNI)
			}
		})
	}
}

func TestOptionsStampTheInstallation(t *testing.T) {
	opts, err := Options(config.Config{Installation: "0123456789abcdef0123456789abcdef"}, Extras{})
	if err != nil {
		t.Fatal(err)
	}
	if len(opts.ContextPropagators) != 1 {
		t.Fatalf("%d context propagators, want the installation's", len(opts.ContextPropagators))
	}
	if p, ok := opts.ContextPropagators[0].(installation.Propagator); !ok || p.Own != "0123456789abcdef0123456789abcdef" {
		t.Errorf("propagator %#v", opts.ContextPropagators[0])
	}
	if opts, _ := Options(config.Config{}, Extras{}); len(opts.ContextPropagators) != 0 {
		t.Error("a propagator without an installation")
	}
}
