package main

import (
	"context"
	"fmt"
	"time"

	"paperboy"
	"paperboy/internal/arxiv"
	"paperboy/internal/community"
	"paperboy/internal/trending"
)

// startCommunity builds the community and trending services over the open
// store. They need accounts (every vote and comment has an author).
func (m *Main) startCommunity() error {
	if m.Accounts == nil {
		return nil
	}
	cs := m.Store
	m.Trending = trending.New(trending.Config{Papers: m.Store, Store: cs, Now: m.Now, Logger: m.Logger, Jobs: m.Jobs})
	m.Community = community.New(community.Config{
		Papers: m.Store, Store: cs, Lookup: m.arxivLookup(), Daily: m.Config.Daily,
		Changed: m.Trending.Poke, Now: m.Now, Logger: m.Logger,
	})
	return nil
}

// arxivLookup fetches submitted papers the store lacks from the arXiv API:
// one client for the whole process, so every submitter shares its
// one-request-per-3-seconds limit; two attempts of 20 seconds at most, since
// a person is waiting.
func (m *Main) arxivLookup() community.Lookup {
	base := m.ArxivAPI
	if base == "" {
		base = m.Config.ArxivAPIURL
	}
	if base == "" || base == "off" {
		return nil
	}
	c := arxiv.NewClient(fmt.Sprintf("paperboy/%s (self-hosted paper radar)", Version()))
	c.Timeout, c.MaxAttempts, c.MaxRetryAfter, c.Logger = timeoutArxivAPI, 2, timeoutArxivAPI, m.Logger
	return func(ctx context.Context, id paperboy.ArxivID) (*paperboy.Paper, error) {
		return c.LookupPaper(ctx, base, id)
	}
}

// runTrending starts the trending job, when there is one, as one of Main's
// background goroutines.
func (m *Main) runTrending(ctx context.Context) {
	if m.Trending == nil {
		return
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		m.Trending.Run(ctx)
	}()
}

// timeoutArxivAPI bounds one arXiv API attempt of a submission.
const timeoutArxivAPI = 20 * time.Second
