package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"
)

// Schedule starts the registered jobs on their cron specs until ctx is
// cancelled, then waits for running jobs to finish. overrides maps a job
// name to another spec, or to "off" to not schedule it. robfig/cron is
// unmaintained, so every job is wrapped to recover panics and to skip a
// tick while its previous run is still going.
func (r *Runner) Schedule(ctx context.Context, overrides map[string]string) error {
	logger := cronLogger{r.log}
	c := cron.New(cron.WithLocation(time.UTC), cron.WithLogger(logger),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)))
	for name := range overrides {
		if !r.Has(name) {
			return fmt.Errorf("schedule names an unknown job %q (known: %v)", name, r.Names())
		}
	}
	for _, name := range r.Names() {
		spec := r.jobs[name].Schedule
		if o, ok := overrides[name]; ok {
			spec = o
		}
		if spec == "off" || spec == "" {
			r.log.Info("job not scheduled", "job", name)
			continue
		}
		name := name
		if _, err := c.AddFunc(spec, func() { _, _ = r.run(ctx, name, "schedule") }); err != nil {
			return fmt.Errorf("job %s: bad schedule %q: %w", name, spec, err)
		}
		r.log.Info("job scheduled", "job", name, "schedule", spec)
	}
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}

// cronLogger adapts slog to cron's logger.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
