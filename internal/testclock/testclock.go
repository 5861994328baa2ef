// Package testclock is a clock tests can move: a test builds the services
// with Options{Clock: c.Now} and then Sets the time it needs, instead of
// changing a service after it was built.
package testclock

import (
	"sync"
	"time"
)

// Clock tells the real time until Set; the zero value is ready to use and
// safe for concurrent use (the server's handlers read it while a test moves
// it).
type Clock struct {
	mu  sync.Mutex
	at  time.Time
	set bool
}

// Now is the clock's time: the one Set, else the real time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.set {
		return c.at
	}
	return time.Now()
}

// Set stops the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at, c.set = t, true
}

// Reset makes the clock tell the real time again.
func (c *Clock) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.set = false
}
