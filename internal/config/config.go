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
)

// Config is the effective configuration of one paperboy process.
type Config struct {
	DB        string // SQLite path or DSN (PAPERBOY_DB)
	Addr      string // HTTP listen address (PAPERBOY_ADDR)
	Demo      bool   // import the demo sample into an empty database (PAPERBOY_DEMO)
	LogLevel  string // debug, info, warn, error (PAPERBOY_LOG_LEVEL)
	LogFormat string // text or json (PAPERBOY_LOG_FORMAT)
}

// Default returns the configuration used when nothing is set.
func Default() Config {
	return Config{DB: DefaultDBPath(), Addr: "127.0.0.1:8080", LogLevel: "info", LogFormat: "text"}
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
	switch strings.ToLower(getenv("PAPERBOY_DEMO")) {
	case "1", "true", "yes", "on":
		c.Demo = true
	}
	return c
}

// DBFlag registers --db on fs, defaulting to the loaded value.
func (c *Config) DBFlag(fs *flag.FlagSet) {
	fs.StringVar(&c.DB, "db", c.DB, "database: a SQLite file path (env PAPERBOY_DB)")
}

// ServeFlags registers the flags of `paperboy serve` on fs.
func (c *Config) ServeFlags(fs *flag.FlagSet) {
	c.DBFlag(fs)
	fs.StringVar(&c.Addr, "addr", c.Addr, "HTTP listen address host:port (env PAPERBOY_ADDR)")
	fs.BoolVar(&c.Demo, "demo", c.Demo, "import the bundled 2,631-paper arXiv sample when the database is empty (env PAPERBOY_DEMO)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn or error (env PAPERBOY_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json (env PAPERBOY_LOG_FORMAT)")
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
