package api

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"andel/app"
	"andel/domain"
	"andel/web"

	"github.com/alexedwards/scs/v2"
	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo-contrib/echoprometheus"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// JobRunner starts a registered background job by hand. Package jobs
// implements it; cmd wires it in, so that api does not import jobs.
type JobRunner interface {
	Names() []string
	// Begin records a run of job name and takes its lock. It returns the
	// run with the function that carries it out (to be called exactly
	// once), or with a nil function when the job is already running
	// elsewhere (the run is then recorded as skipped).
	Begin(ctx context.Context, name string) (*domain.JobRun, func(context.Context) error, error)
}

// Config is what the server needs beyond the domain services.
type Config struct {
	Logger         *slog.Logger
	BodyLimit      string        // e.g. "10M"; price-list uploads get their own limit
	RequestTimeout time.Duration // per request, for handlers that honour the context
	Jobs           JobRunner     // nil: no jobs can be started by hand
	// Ready reports whether the server can serve (database reachable and
	// migrated); GET /readyz answers 503 while it returns an error.
	Ready func(ctx context.Context) error
	// TrustedProxies are the addresses whose X-Forwarded-For the server
	// believes (the load balancer's); nobody else's: a client's address is
	// then the connection's, so no client can pose as another address to
	// the login throttle.
	TrustedProxies []netip.Prefix
	// MetricsToken, when set, opens GET /metrics to requests with
	// "Authorization: Bearer <token>"; when empty, /metrics is not served
	// here (serve it on a separate, private address: MetricsHandler).
	MetricsToken string
}

// Server is the HTTP API.
type Server struct {
	echo     *echo.Echo
	svc      *app.Services
	cfg      Config
	log      *slog.Logger
	validate *validator.Validate
	sessions *scs.SessionManager
	metrics  *prometheus.Registry
	web      *web.Pages // the server-rendered pages at /
	// background counts price-list loads and jobs started by hand that
	// outlive their request; ListenAndServe waits for them at shutdown.
	background sync.WaitGroup
	// stopping ends (stop) when the server shuts down: jobs started by
	// hand stop with it (their next scheduled run picks up the work).
	stopping context.Context
	stop     context.CancelFunc
}

// New builds the server and its routes over the services app.New built
// (the price-list importer included, with its size limit).
func New(svc *app.Services, cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.BodyLimit == "" {
		cfg.BodyLimit = "2M"
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	s := &Server{
		echo:     echo.New(),
		svc:      svc,
		cfg:      cfg,
		log:      cfg.Logger,
		validate: newValidator(),
		sessions: newSessionManager(svc.DB),
		metrics:  prometheus.NewRegistry(),
	}
	s.echo.IPExtractor = ipExtractor(cfg.TrustedProxies)
	s.stopping, s.stop = context.WithCancel(context.Background())
	s.metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	e := s.echo
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.errorHandler

	e.Pre(middleware.RemoveTrailingSlash())
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{TargetHeader: echo.HeaderXRequestID}))
	e.Use(s.requestLogger())
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: s.logPanic}))
	e.Use(echoprometheus.NewMiddlewareWithConfig(echoprometheus.MiddlewareConfig{
		Namespace: "andel", Subsystem: "http", Registerer: s.metrics, DoNotUseRequestPathFor404: true,
	}))
	// Uploads stream to disk under their own limit and take as long as the
	// body takes to arrive (the http.Server's read timeout still bounds it).
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: cfg.BodyLimit, Skipper: isUpload}))
	e.Use(middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{Timeout: cfg.RequestTimeout, Skipper: isUpload}))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection: "0", ContentTypeNosniff: "nosniff", XFrameOptions: "DENY",
		ReferrerPolicy: "same-origin", ContentSecurityPolicy: "default-src 'self'",
	}))

	s.routes()
	return s
}

// ServeHTTP makes the server an http.Handler (tests call it directly).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// Close stops the jobs started by hand and waits for them and for the
// price lists still loading. ListenAndServe calls it after the last
// request; a server used as a plain http.Handler (tests) calls it itself.
func (s *Server) Close() {
	s.stop()
	s.background.Wait()
}

// Routes lists the registered routes as "METHOD path", for the OpenAPI check.
func (s *Server) Routes() []*echo.Route { return s.echo.Routes() }

// ListenAndServe serves on addr until ctx is cancelled, then shuts down
// gracefully, giving requests in flight up to grace to finish.
func (s *Server) ListenAndServe(ctx context.Context, addr string, grace time.Duration, ready func(net string)) error {
	srv := &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // large price-list uploads
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		// Requests still running may yet start background work, so it is
		// not waited for; the jobs started by hand are stopped at least.
		s.stop()
		return err
	}
	err = <-errc
	s.Close()
	if !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// ipExtractor reads a client's address from the connection, or from
// X-Forwarded-For when the request came through one of the trusted
// proxies (and only then: Echo's default would believe anyone's header).
func ipExtractor(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		opts = append(opts, echo.TrustIPRange(&net.IPNet{IP: p.Masked().Addr().AsSlice(),
			Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// isUpload reports whether the request uploads a price list.
func isUpload(c echo.Context) bool {
	path := c.Request().URL.Path
	return c.Request().Method == http.MethodPost && (path == "/api/v1/price-lists" || path == web.UploadPath)
}

func (s *Server) logPanic(c echo.Context, err error, stack []byte) error {
	s.log.Error("panic", "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
		"path", c.Path(), "err", err, "stack", string(stack))
	return err
}

// requestLogger logs one structured line per request.
func (s *Server) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogRequestID: true,
		LogRoutePath: true, LogRemoteIP: true, LogError: true, HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			s.log.LogAttrs(c.Request().Context(), level, "request",
				slog.String("method", v.Method), slog.String("uri", v.URI), slog.String("route", v.RoutePath),
				slog.Int("status", v.Status), slog.Duration("latency", v.Latency),
				slog.String("request_id", v.RequestID), slog.String("remote_ip", v.RemoteIP))
			return nil
		},
	})
}
