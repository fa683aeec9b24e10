package config

import (
	"flag"
	"fmt"
	"net/url"
)

// embedConfig names an OpenAI-compatible embeddings service (Ollama, vLLM,
// TEI, llama.cpp's server, OpenAI) that semantic search uses instead of the
// built-in embedder. Empty URL: the built-in embedder, trained on the
// instance's own papers.
type embedConfig struct {
	URL   string // base URL; /v1/embeddings is appended (PAPERBOY_EMBED_URL)
	Model string // model name sent with each request (PAPERBOY_EMBED_MODEL)
	Key   string // bearer token (PAPERBOY_EMBED_KEY); environment only, never a flag
	// VectorDir is where serve keeps its vector index files
	// (PAPERBOY_VECTOR_DIR); empty: beside a SQLite database, and none for
	// PostgreSQL, whose replicas then rebuild their index at each start.
	VectorDir string
}

func (c *Config) loadEmbed(getenv func(string) string) {
	c.Embed = embedConfig{URL: getenv("PAPERBOY_EMBED_URL"), Model: getenv("PAPERBOY_EMBED_MODEL"), Key: getenv("PAPERBOY_EMBED_KEY"),
		VectorDir: getenv("PAPERBOY_VECTOR_DIR")}
}

// EmbedFlags registers the embedder flags of `paperboy serve`.
func (c *Config) EmbedFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Embed.URL, "embed-url", c.Embed.URL, "OpenAI-compatible embeddings service for semantic search, e.g. http://localhost:11434; empty uses the built-in embedder (env PAPERBOY_EMBED_URL; key in PAPERBOY_EMBED_KEY)")
	fs.StringVar(&c.Embed.Model, "embed-model", c.Embed.Model, "model of the embeddings service (env PAPERBOY_EMBED_MODEL)")
	fs.StringVar(&c.Embed.VectorDir, "vector-dir", c.Embed.VectorDir, "directory for the vector index files, so a restart loads them instead of rebuilding; default beside a SQLite database, none for PostgreSQL (env PAPERBOY_VECTOR_DIR)")
}

func (c Config) validateEmbed() []error {
	if c.Embed.URL == "" {
		if c.Embed.Model != "" {
			return []error{fmt.Errorf("embed-model: set only with embed-url")}
		}
		return nil
	}
	var errs []error
	if u, err := url.Parse(c.Embed.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("embed-url: %q is not an http(s) URL", c.Embed.URL))
	}
	if c.Embed.Model == "" {
		errs = append(errs, fmt.Errorf("embed-model: required with embed-url"))
	}
	return errs
}
