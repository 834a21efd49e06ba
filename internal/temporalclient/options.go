// Package temporalclient builds the one set of Temporal client options every contest
// process dials with: address and namespace, TLS or an API key for a server outside the
// machine, the structured logger, the Prometheus metrics handler, the installation stamp
// on every workflow started and, when tracing is on, the OpenTelemetry interceptor.
package temporalclient

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/workflow"

	"github.com/hpcontest/contest/internal/config"
	"github.com/hpcontest/contest/internal/installation"
)

// Extras are the parts of the options that come from the running process rather than
// from the environment.
type Extras struct {
	Logger       tlog.Logger
	Metrics      client.MetricsHandler
	Interceptors []interceptor.ClientInterceptor
}

// Options returns the client options for cfg. A TLS file that is missing or unreadable
// is an error naming its variable, so a misconfigured deployment fails at start.
func Options(cfg config.Config, x Extras) (client.Options, error) {
	opts := client.Options{
		HostPort:       cfg.TemporalAddress,
		Namespace:      cfg.TemporalNamespace,
		Logger:         x.Logger,
		MetricsHandler: x.Metrics,
		Interceptors:   x.Interceptors,
	}
	if cfg.Installation != "" {
		// Client-level: the worker built on this client carries the stamp on to the
		// activities and child workflows of what it runs.
		opts.ContextPropagators = []workflow.ContextPropagator{installation.Propagator{Own: cfg.Installation}}
	}
	t := cfg.TemporalTLS
	if !t.Enabled() {
		return opts, nil
	}
	tlsCfg, err := tlsConfig(t)
	if err != nil {
		return client.Options{}, err
	}
	opts.ConnectionOptions.TLS = tlsCfg
	if t.APIKey != "" {
		opts.Credentials = client.NewAPIKeyStaticCredentials(t.APIKey)
	}
	return opts, nil
}

func tlsConfig(t config.TemporalTLS) (*tls.Config, error) {
	c := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: t.ServerName}
	switch {
	case t.CertFile != "" && t.KeyFile == "":
		return nil, errors.New("TEMPORAL_TLS_CERT is set but TEMPORAL_TLS_KEY is not: a client certificate needs its key")
	case t.KeyFile != "" && t.CertFile == "":
		return nil, errors.New("TEMPORAL_TLS_KEY is set but TEMPORAL_TLS_CERT is not: a client key needs its certificate")
	case t.CertFile != "":
		if err := readable("TEMPORAL_TLS_CERT", t.CertFile); err != nil {
			return nil, err
		}
		if err := readable("TEMPORAL_TLS_KEY", t.KeyFile); err != nil {
			return nil, err
		}
		pair, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CERT=%s with TEMPORAL_TLS_KEY=%s: not a matching PEM certificate and key: %w", t.CertFile, t.KeyFile, err)
		}
		c.Certificates = []tls.Certificate{pair}
	}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CA=%s: %w", t.CAFile, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("TEMPORAL_TLS_CA=%s: no PEM certificate in the file", t.CAFile)
		}
		c.RootCAs = pool
	}
	return c, nil
}

func readable(name, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s=%s: %w", name, path, err)
	}
	return f.Close()
}
