package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"
)

// Schedule is the cron plan of the registered jobs.
type Schedule struct {
	cron *cron.Cron
	ctx  context.Context // set by Run; jobs started by cron use it
}

// NewSchedule plans every registered job on its cron spec (UTC). overrides
// maps a job name to another spec, or to "off" to leave it unscheduled; an
// unknown name or a bad spec is an error, so bad configuration fails at
// start. robfig/cron is unmaintained, so every job is wrapped to recover
// panics and to skip a tick while its previous run is still going.
func (r *Runner) NewSchedule(overrides map[string]string) (*Schedule, error) {
	for name := range overrides {
		if !r.Has(name) {
			return nil, fmt.Errorf("ANDEL_SCHEDULES names an unknown job %q (known: %v)", name, r.Names())
		}
	}
	logger := cronLogger{r.log}
	s := &Schedule{ctx: context.Background()}
	s.cron = cron.New(cron.WithLocation(time.UTC), cron.WithLogger(logger))
	chain := cron.NewChain(cron.Recover(logger), cron.SkipIfStillRunning(logger))
	for _, name := range r.Names() {
		spec := r.jobs[name].Schedule
		if o, ok := overrides[name]; ok {
			spec = o
		}
		if spec == "off" || spec == "" {
			r.log.Info("job not scheduled", "job", name)
			continue
		}
		sched, err := cron.ParseStandard(spec)
		if err != nil {
			return nil, fmt.Errorf("job %s: bad schedule %q: %w", name, spec, err)
		}
		// Schedule (unlike AddFunc) does not apply the cron's chain.
		s.cron.Schedule(sched, chain.Then(cron.FuncJob(func() { _, _ = r.runSlot(s.ctx, name, slotOf(sched, time.Now())) })))
	}
	return s, nil
}

// slotOf is the activation of sched a tick at now belongs to: the latest
// one not after now. Specs have minute resolution, so activations are at
// least a minute apart and a tick late by less than that still finds its
// own; every replica names the same slot, which it claims
// (domain.JobRunService.StartSlot) before running.
// An "@every" schedule has no common activations across replicas (each
// counts from its own start): its slots are the multiples of its delay.
func slotOf(sched cron.Schedule, now time.Time) time.Time {
	if every, ok := sched.(cron.ConstantDelaySchedule); ok {
		return now.UTC().Truncate(every.Delay)
	}
	return sched.Next(now.Add(-59 * time.Second))
}

// Run starts the jobs on schedule until ctx is cancelled, then waits for
// running jobs to finish.
func (s *Schedule) Run(ctx context.Context) {
	s.ctx = ctx
	s.cron.Start()
	<-ctx.Done()
	<-s.cron.Stop().Done()
}

// cronLogger adapts slog to cron's logger.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
