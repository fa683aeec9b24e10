package config

import (
	"flag"
	"fmt"
	"net/url"
	"strings"
)

// arXiv's endpoints.
const (
	DefaultOAIURL = "https://oaipmh.arxiv.org/oai"
	DefaultRSSURL = "https://rss.arxiv.org/rss"
)

// loadHarvest reads PAPERBOY_HARVEST, PAPERBOY_ARXIV_SETS and
// PAPERBOY_OAI_URL.
func (c *Config) loadHarvest(getenv func(string) string) {
	switch strings.ToLower(getenv("PAPERBOY_HARVEST")) {
	case "1", "true", "yes", "on":
		c.Harvest = true
	}
	if v := getenv("PAPERBOY_ARXIV_SETS"); v != "" {
		c.ArxivSets = splitList(v)
	}
	if v := getenv("PAPERBOY_OAI_URL"); v != "" {
		c.OAIURL = v
	}
	if v := getenv("PAPERBOY_RSS_URL"); v != "" {
		c.RSSURL = v // "none" reads no listings
	}
}

// HarvestFlags registers the harvesting flags of `paperboy serve`.
func (c *Config) HarvestFlags(fs *flag.FlagSet) {
	fs.BoolVar(&c.Harvest, "harvest", c.Harvest, "harvest arXiv by itself after each announcement (20:30 New York time, Sunday to Thursday) and daily at 08:00 as a catch-up (env PAPERBOY_HARVEST)")
	fs.Func("arxiv-sets", "comma-separated OAI-PMH sets to harvest, e.g. cs,math (env PAPERBOY_ARXIV_SETS; default cs)", func(v string) error {
		c.ArxivSets = splitList(v)
		return nil
	})
	fs.StringVar(&c.OAIURL, "oai-url", c.OAIURL, "arXiv OAI-PMH endpoint (env PAPERBOY_OAI_URL)")
	fs.StringVar(&c.RSSURL, "rss-url", c.RSSURL, `arXiv RSS listings, read after each harvest; "none" reads none (env PAPERBOY_RSS_URL)`)
}

func (c Config) validateHarvest() []error {
	var errs []error
	if c.Harvest && len(c.ArxivSets) == 0 {
		errs = append(errs, fmt.Errorf("arxiv-sets: harvesting needs at least one set"))
	}
	if !httpURL(c.OAIURL) {
		errs = append(errs, fmt.Errorf("oai-url: %q is not an http(s) URL", c.OAIURL))
	}
	if c.RSSURL != "" && c.RSSURL != "none" && !httpURL(c.RSSURL) {
		errs = append(errs, fmt.Errorf("rss-url: %q is not an http(s) URL or none", c.RSSURL))
	}
	return errs
}

// splitList splits a comma-separated list, dropping blanks.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
