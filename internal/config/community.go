package config

import (
	"flag"
	"fmt"
	"net/url"
	"strings"
)

// DefaultArxivAPIURL is arXiv's API, which submissions of papers the
// instance lacks are looked up in.
const DefaultArxivAPIURL = "https://export.arxiv.org/api/query"

func (c *Config) loadCommunity(getenv func(string) string) {
	c.Daily = strings.ToLower(getenv("PAPERBOY_DAILY")) // "" means auto
	c.ArxivAPIURL = getenv("PAPERBOY_ARXIV_API_URL")
	if c.ArxivAPIURL == "" {
		c.ArxivAPIURL = DefaultArxivAPIURL
	}
}

// CommunityFlags registers the community flags of `paperboy serve`.
func (c *Config) CommunityFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Daily, "daily", c.Daily, "which papers make a day's listing: submitted, all, both or auto (env PAPERBOY_DAILY; default auto: all until the first submission, then both)")
	fs.StringVar(&c.ArxivAPIURL, "arxiv-api-url", c.ArxivAPIURL, "arXiv API that submitted papers are fetched from, or off (env PAPERBOY_ARXIV_API_URL)")
}

func (c Config) validateCommunity() []error {
	var errs []error
	switch c.Daily {
	case "", "submitted", "all", "both", "auto":
	default:
		errs = append(errs, fmt.Errorf("daily: %q is not submitted, all, both or auto", c.Daily))
	}
	if c.ArxivAPIURL != "" && c.ArxivAPIURL != "off" {
		if u, err := url.Parse(c.ArxivAPIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("arxiv-api-url: %q is not an http(s) URL or off", c.ArxivAPIURL))
		}
	}
	return errs
}
