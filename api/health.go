package api

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo-contrib/echoprometheus"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// healthz answers while the process is up.
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 when the database is reachable and fully migrated,
// 503 otherwise, so a load balancer sends traffic only to ready replicas.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	if s.cfg.Ready != nil {
		if err := s.cfg.Ready(ctx); err != nil {
			s.log.Warn("not ready", append(logAttrs(c), "err", err)...)
			return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": err.Error()})
		}
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) metricsHandler() echo.HandlerFunc {
	h := echoprometheus.NewHandlerWithConfig(echoprometheus.HandlerConfig{Gatherer: s.metrics})
	return func(c echo.Context) error {
		if !s.metricsAllowed(c.Request()) {
			return echo.ErrNotFound
		}
		return h(c)
	}
}

// metricsAllowed: /metrics on the main address needs the configured
// bearer token (compared in constant time); without one it is not served.
func (s *Server) metricsAllowed(r *http.Request) bool {
	if s.cfg.MetricsToken == "" {
		return false
	}
	got, ok := strings.CutPrefix(r.Header.Get(echo.HeaderAuthorization), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.MetricsToken)) == 1
}

// MetricsHandler serves the metrics without a token, for a separate
// listen address that only the monitoring system reaches (ANDEL_METRICS_ADDR).
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.metrics, promhttp.HandlerOpts{})
}
