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
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 90)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(t.ArtifactDir(), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

func TestBrowserHomeSearchPaper(t *testing.T) {
	ctx := newBrowser(t)
	m := bootMain(t, filepath.Join(t.TempDir(), "browser.db"), true)
	base := "http://" + m.Addr()

	var cards int
	var heading string
	err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`input[name="q"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('a[href^="/papers/"]').length`, &cards),
		chromedp.Text(`h1`, &heading, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("home page: %v", err)
	}
	screenshot(t, ctx, "1-home")
	if cards == 0 {
		t.Errorf("home page shows no paper links")
	}

	var resultsText, echoed string
	var firstHref string
	err = chromedp.Run(ctx,
		chromedp.SendKeys(`input[name="q"]`, "quantum error correction", chromedp.ByQuery),
		chromedp.Submit(`input[name="q"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`mark`, chromedp.ByQuery),
		chromedp.Text(`main`, &resultsText, chromedp.ByQuery),
		chromedp.Value(`input[name="q"]`, &echoed, chromedp.ByQuery),
		chromedp.AttributeValue(`main a[href^="/papers/"]`, "href", &firstHref, nil, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	screenshot(t, ctx, "2-search")
	if echoed != "quantum error correction" {
		t.Errorf("search box shows %q, want the query echoed", echoed)
	}
	if !strings.Contains(strings.ToLower(resultsText), "quantum") {
		t.Errorf("search results do not mention the query: %.300q", resultsText)
	}

	var title, abstract, url string
	err = chromedp.Run(ctx,
		chromedp.Click(`main a[href^="/papers/"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`h1`, chromedp.ByQuery),
		chromedp.Location(&url),
		chromedp.Text(`h1`, &title, chromedp.ByQuery),
		chromedp.Text(`main`, &abstract, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("paper page: %v", err)
	}
	screenshot(t, ctx, "3-paper")
	if !strings.HasSuffix(url, firstHref) {
		t.Errorf("clicked %s but landed on %s", firstHref, url)
	}
	id := strings.TrimPrefix(firstHref, "/papers/")
	p, err := m.Store.Paper(context.Background(), paperIDForTest(id))
	if err != nil {
		t.Fatalf("paper %s: %v", id, err)
	}
	if strings.Join(strings.Fields(title), " ") != p.Title {
		t.Errorf("paper page heading %q, want the stored title %q", title, p.Title)
	}
	if !strings.Contains(abstract, "PDF") {
		t.Errorf("paper page has no PDF link text")
	}
}

func paperIDForTest(s string) paperboy.ArxivID { return paperboy.MustParseArxivID(s) }
