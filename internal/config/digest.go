package config

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// digestConfig configures the e-mail digest.
type digestConfig struct {
	// Secret signs the links in e-mails (PAPERBOY_SECRET). Empty: a random
	// key is generated on first start and kept in the database, so every
	// replica shares it. Set it to rotate the key (old links stop working).
	Secret string
	// Scheduler runs the digest scheduler inside serve
	// (PAPERBOY_DIGEST; default on).
	Scheduler bool
	Rate      float64 // digests per second at most (PAPERBOY_DIGEST_RATE); 0: no limit
	Workers   int     // concurrent SMTP connections (PAPERBOY_DIGEST_WORKERS); 0 means 1
	// Interval is how often serve's scheduler composes and sends what is
	// due (PAPERBOY_DIGEST_INTERVAL; default, and 0, a minute).
	Interval time.Duration
	// Lease is how long a sender holds the issues it claimed
	// (PAPERBOY_DIGEST_LEASE; default, and 0, 5 minutes): how long the issues of
	// a replica that died wait before another sends them.
	Lease time.Duration

	rateErr, workersErr, intervalErr, leaseErr error
}

// DefaultDigestRate suits a small relay; raise it for a bulk provider.
const DefaultDigestRate = 10

func (c *Config) loadDigest(getenv func(string) string) {
	c.Digest = digestConfig{Secret: getenv("PAPERBOY_SECRET"), Scheduler: true, Rate: DefaultDigestRate, Workers: 2,
		Interval: time.Minute, Lease: 5 * time.Minute}
	if v := getenv("PAPERBOY_DIGEST_INTERVAL"); v != "" {
		c.Digest.Interval, c.Digest.intervalErr = time.ParseDuration(v)
	}
	if v := getenv("PAPERBOY_DIGEST_LEASE"); v != "" {
		c.Digest.Lease, c.Digest.leaseErr = time.ParseDuration(v)
	}
	switch strings.ToLower(getenv("PAPERBOY_DIGEST")) {
	case "0", "false", "no", "off":
		c.Digest.Scheduler = false
	}
	if v := getenv("PAPERBOY_DIGEST_RATE"); v != "" {
		c.Digest.Rate, c.Digest.rateErr = strconv.ParseFloat(v, 64)
	}
	if v := getenv("PAPERBOY_DIGEST_WORKERS"); v != "" {
		c.Digest.Workers, c.Digest.workersErr = strconv.Atoi(v)
	}
}

// DigestFlags registers the digest flags of `paperboy serve`.
func (c *Config) DigestFlags(fs *flag.FlagSet) {
	fs.BoolVar(&c.Digest.Scheduler, "digest", c.Digest.Scheduler, "send the e-mail digest at each subscriber's hour (env PAPERBOY_DIGEST)")
	c.DigestSendFlags(fs)
}

// DigestSendFlags registers the delivery flags shared by serve and
// `paperboy digest run`.
func (c *Config) DigestSendFlags(fs *flag.FlagSet) {
	fs.Float64Var(&c.Digest.Rate, "digest-rate", c.Digest.Rate, "digests per second at most, 0 for no limit (env PAPERBOY_DIGEST_RATE)")
	fs.IntVar(&c.Digest.Workers, "digest-workers", c.Digest.Workers, "concurrent SMTP connections for digests (env PAPERBOY_DIGEST_WORKERS)")
}

func (c Config) validateDigest() []error {
	var errs []error
	if c.Digest.rateErr != nil || c.Digest.Rate < 0 {
		errs = append(errs, fmt.Errorf("digest-rate: want a number of digests per second, 0 or more"))
	}
	if c.Digest.workersErr != nil || c.Digest.Workers < 0 || c.Digest.Workers > 64 {
		errs = append(errs, fmt.Errorf("digest-workers: want 1 to 64"))
	}
	if c.Digest.intervalErr != nil || c.Digest.Interval < 0 || c.Digest.Interval > 0 && c.Digest.Interval < time.Second {
		errs = append(errs, fmt.Errorf("digest-interval: PAPERBOY_DIGEST_INTERVAL wants a duration of 1s or more"))
	}
	if c.Digest.leaseErr != nil || c.Digest.Lease < 0 || c.Digest.Lease > 0 && c.Digest.Lease < 2*time.Second {
		errs = append(errs, fmt.Errorf("digest-lease: PAPERBOY_DIGEST_LEASE wants a duration of 2s or more"))
	}
	if s := c.Digest.Secret; s != "" && len(s) < 16 {
		errs = append(errs, fmt.Errorf("secret: PAPERBOY_SECRET must be at least 16 characters"))
	}
	return errs
}
