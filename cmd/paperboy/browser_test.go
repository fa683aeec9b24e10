package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"paperboy"
)

// chromiumPath finds Debian's chromium. Outside CI the browser test is
// skipped without it; in CI (CI set) its absence fails the test.
func chromiumPath(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium on PATH; .ci/run installs Debian's chromium")
	}
	t.Skip("no chromium on PATH (apt-get install chromium)")
	return ""
}

func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	return ctx
}

// screenshot saves the page as name.png in the test's artifact directory.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 means PNG
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(t.ArtifactDir(), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// must returns the result of a browser action, failing the test on error.
func must[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func TestBrowserHomeSearchPaper(t *testing.T) {
	ctx := newBrowser(t)
	m := bootMain(t, filepath.Join(t.TempDir(), "browser.db"), true)
	base := "http://" + m.Addr()

	// The home page: the latest day's paper cards and a search box.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`input[name="q"]`))); err != nil {
		t.Fatalf("home page: %v", err)
	}
	cards := must(t, ctx, "count paper links", chromedp.Evaluate[int](`document.querySelectorAll('main a[href^="/papers/"]').length`))
	heading := must(t, ctx, "home heading", chromedp.Text(chromedp.CSS(`h1`)))
	screenshot(t, ctx, "1-home")
	if cards == 0 {
		t.Errorf("home page shows no paper links")
	}
	if strings.TrimSpace(heading) == "" {
		t.Errorf("home page has an empty heading")
	}

	// Search from the box: results with the words highlighted, query echoed.
	err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`input[name="q"]`), "quantum error correction"),
		chromedp.Submit(chromedp.CSS(`input[name="q"]`)),
		chromedp.WaitVisible(chromedp.CSS(`main mark`)),
	)
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	resultsText := must(t, ctx, "results text", chromedp.Text(chromedp.CSS(`main`)))
	echoed := must(t, ctx, "search box value", chromedp.Value(chromedp.CSS(`input[name="q"]`)))
	first := must(t, ctx, "first result link", chromedp.AttributeValue(chromedp.CSS(`main a[href^="/papers/"]`), "href"))
	screenshot(t, ctx, "2-search")
	if echoed != "quantum error correction" {
		t.Errorf("search box shows %q, want the query echoed", echoed)
	}
	if !strings.Contains(strings.ToLower(resultsText), "quantum") {
		t.Errorf("search results do not mention the query: %.300q", resultsText)
	}

	// Open the first result: its title, abstract and arXiv links.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`main a[href^="/papers/"]`)), chromedp.WaitVisible(chromedp.CSS(`h1`))); err != nil {
		t.Fatalf("open paper: %v", err)
	}
	url := must(t, ctx, "location", chromedp.Location())
	title := must(t, ctx, "paper title", chromedp.Text(chromedp.CSS(`h1`)))
	page := must(t, ctx, "paper text", chromedp.Text(chromedp.CSS(`main`)))
	screenshot(t, ctx, "3-paper")
	if !strings.HasSuffix(url, first.Value) {
		t.Errorf("clicked %s but landed on %s", first.Value, url)
	}
	p, err := m.Store.Paper(context.Background(), paperboy.MustParseArxivID(strings.TrimPrefix(first.Value, "/papers/")))
	if err != nil {
		t.Fatalf("paper %s: %v", first.Value, err)
	}
	if strings.Join(strings.Fields(title), " ") != strings.Join(strings.Fields(p.Title), " ") {
		t.Errorf("paper page heading %q, want the stored title %q", title, p.Title)
	}
	if !strings.Contains(page, "PDF") || !strings.Contains(page, p.Abstract[:40]) {
		t.Errorf("paper page lacks the PDF link or the abstract's start %q", p.Abstract[:40])
	}
}
