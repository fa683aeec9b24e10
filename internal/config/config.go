// Package config holds paperboy's one Config struct and loads it: flags
// override PAPERBOY_* environment variables, which override defaults.
// Validate reports every problem at once, before anything starts.
package config

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config is the effective configuration of one paperboy process.
type Config struct {
	DB        string // SQLite path or DSN (PAPERBOY_DB)
	Addr      string // HTTP listen address (PAPERBOY_ADDR)
	Demo      bool   // import the demo sample into an empty database (PAPERBOY_DEMO)
	LogLevel  string // debug, info, warn, error (PAPERBOY_LOG_LEVEL)
	LogFormat string // text or json (PAPERBOY_LOG_FORMAT)
	// Harvest runs the arXiv harvest scheduler inside serve
	// (PAPERBOY_HARVEST). Off by default: nothing touches the network
	// unless asked.
	Harvest   bool
	ArxivSets []string // OAI-PMH sets to harvest (PAPERBOY_ARXIV_SETS, comma-separated)
	OAIURL    string   // arXiv's OAI-PMH endpoint (PAPERBOY_OAI_URL)
	RSSURL    string   // arXiv's RSS listings (PAPERBOY_RSS_URL); "" reads none
	// SyncInterval is how often serve catches its search index up with
	// papers other processes wrote (PAPERBOY_SYNC_INTERVAL); replicas on
	// one PostgreSQL see a new paper within about this long. Zero means
	// DefaultSyncInterval.
	SyncInterval time.Duration

	syncIntervalErr error // a PAPERBOY_SYNC_INTERVAL that did not parse

	// Accounts and mail: see account.go in this package.
	SMTPURL  string // smtp://user:pass@host:587 or smtps://...:465 (PAPERBOY_SMTP_URL); "" logs e-mails instead
	MailFrom string // From of paperboy's e-mails (PAPERBOY_MAIL_FROM)
	BaseURL  string // public URL for links (PAPERBOY_BASE_URL); "" means http://Addr
	Signup   string // open or closed (PAPERBOY_SIGNUP)

	// Community: see community.go in this package.
	Daily       string // which papers make a day: submitted, all, both or auto (PAPERBOY_DAILY)
	ArxivAPIURL string // arXiv API for submissions (PAPERBOY_ARXIV_API_URL); "off" looks nothing up

	// The e-mail digest: see digest.go in this package.
	Digest digestConfig

	// The embeddings service of semantic search: see embed.go in this package.
	Embed embedConfig
}

// DefaultSyncInterval keeps every replica's search within a second of the
// store.
const DefaultSyncInterval = time.Second

// Default returns the configuration used when nothing is set.
func Default() Config {
	return Config{DB: DefaultDBPath(), Addr: "127.0.0.1:8080", LogLevel: "info", LogFormat: "text", SyncInterval: DefaultSyncInterval,
		ArxivSets: []string{"cs"}, OAIURL: DefaultOAIURL, RSSURL: DefaultRSSURL}
}

// DefaultDBPath is $XDG_DATA_HOME/paperboy/paperboy.db, or
// ~/.local/share/paperboy/paperboy.db, or ./paperboy.db without a home.
func DefaultDBPath() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "paperboy", "paperboy.db")
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		return filepath.Join(home, ".local", "share", "paperboy", "paperboy.db")
	}
	return "paperboy.db"
}

// Load returns the defaults overridden by the PAPERBOY_* variables that
// getenv reports.
func Load(getenv func(string) string) Config {
	c := Default()
	set := func(dst *string, key string) {
		if v := getenv(key); v != "" {
			*dst = v
		}
	}
	set(&c.DB, "PAPERBOY_DB")
	set(&c.Addr, "PAPERBOY_ADDR")
	set(&c.LogLevel, "PAPERBOY_LOG_LEVEL")
	set(&c.LogFormat, "PAPERBOY_LOG_FORMAT")
	if v := getenv("PAPERBOY_SYNC_INTERVAL"); v != "" {
		c.SyncInterval, c.syncIntervalErr = time.ParseDuration(v)
	}
	switch strings.ToLower(getenv("PAPERBOY_DEMO")) {
	case "1", "true", "yes", "on":
		c.Demo = true
	}
	c.loadHarvest(getenv)
	c.loadAccounts(getenv)
	c.loadCommunity(getenv)
	c.loadDigest(getenv)
	c.loadEmbed(getenv)
	return c
}

// DBFlag registers --db on fs, defaulting to the loaded value.
func (c *Config) DBFlag(fs *flag.FlagSet) {
	fs.StringVar(&c.DB, "db", c.DB, "database: a SQLite file path or a postgres:// URL (env PAPERBOY_DB)")
}

// ServeFlags registers the flags of `paperboy serve` on fs.
func (c *Config) ServeFlags(fs *flag.FlagSet) {
	c.DBFlag(fs)
	fs.StringVar(&c.Addr, "addr", c.Addr, "HTTP listen address host:port (env PAPERBOY_ADDR)")
	fs.BoolVar(&c.Demo, "demo", c.Demo, "import the bundled 2,631-paper arXiv sample when the database is empty (env PAPERBOY_DEMO)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn or error (env PAPERBOY_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json (env PAPERBOY_LOG_FORMAT)")
	c.HarvestFlags(fs)
	c.AccountFlags(fs)
	c.CommunityFlags(fs)
	c.DigestFlags(fs)
	c.EmbedFlags(fs)
	fs.DurationVar(&c.SyncInterval, "sync-interval", c.SyncInterval, "how often to catch the search index up with the database (env PAPERBOY_SYNC_INTERVAL)")
}

// Validate reports every problem with c at once.
func (c Config) Validate() error {
	var errs []error
	if c.DB == "" {
		errs = append(errs, errors.New("db: must not be empty"))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("addr: %q is not host:port", c.Addr))
	}
	if _, err := c.Level(); err != nil {
		errs = append(errs, err)
	}
	if c.syncIntervalErr != nil {
		errs = append(errs, fmt.Errorf("sync-interval: PAPERBOY_SYNC_INTERVAL is not a duration like 500ms or 1s: %w", c.syncIntervalErr))
	} else if c.SyncInterval < 0 {
		errs = append(errs, fmt.Errorf("sync-interval: %s is negative", c.SyncInterval))
	}
	errs = append(errs, c.validateHarvest()...)
	errs = append(errs, c.validateAccounts()...)
	errs = append(errs, c.validateCommunity()...)
	errs = append(errs, c.validateDigest()...)
	errs = append(errs, c.validateEmbed()...)
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("log-format: %q is not text or json", c.LogFormat))
	}
	return errors.Join(errs...)
}

// Level parses LogLevel.
func (c Config) Level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return 0, fmt.Errorf("log-level: %q is not debug, info, warn or error", c.LogLevel)
	}
	return l, nil
}
