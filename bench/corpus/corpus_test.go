package corpus

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"

	"paperboy"
	"paperboy/internal/arxiv"
)

var (
	modelOnce sync.Once
	model     *Model
	modelErr  error
)

func testModel(t *testing.T) *Model {
	t.Helper()
	modelOnce.Do(func() { model, modelErr = SampleModel() })
	if modelErr != nil {
		t.Fatal(modelErr)
	}
	return model
}

func generator(t *testing.T, n int, seed uint64) *Generator {
	t.Helper()
	g, err := New(testModel(t), n, seed)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func kaggleBytes(t *testing.T, g *Generator) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteKaggle(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSameSeedSameCorpus(t *testing.T) {
	a, b := kaggleBytes(t, generator(t, 3000, 7)), kaggleBytes(t, generator(t, 3000, 7))
	if !bytes.Equal(a, b) {
		t.Fatal("two generators with seed 7 wrote different corpora")
	}
	if c := kaggleBytes(t, generator(t, 3000, 8)); bytes.Equal(a, c) {
		t.Fatal("seeds 7 and 8 wrote the same corpus")
	}
}

func TestModelIsDeterministic(t *testing.T) {
	m2, err := SampleModel()
	if err != nil {
		t.Fatal(err)
	}
	g1, g2 := generator(t, 1000, 1), &Generator{m: m2, n: 1000, seed: 1, cal: newCalendar(1000)}
	for _, i := range []int{0, 17, 999} {
		if p, q := g1.Paper(i), g2.Paper(i); !p.Equal(q) {
			t.Errorf("paper %d differs between two models learned from the same data:\n%+v\n%+v", i, p, q)
		}
	}
}

func TestPaperIndependentOfOrder(t *testing.T) {
	g := generator(t, 10000, 3)
	want := g.Paper(4242)
	for _, i := range []int{9999, 0, 4241, 4243} {
		g.Paper(i)
	}
	if got := g.Paper(4242); !got.Equal(want) {
		t.Errorf("paper 4242 changed after generating others:\n%+v\n%+v", got, want)
	}
}

func TestIDsAndDates(t *testing.T) {
	for _, n := range []int{1, 1000, MaxDocs} {
		c := newCalendar(n)
		seen := map[paperboy.ArxivID]bool{}
		prev, _ := c.id(0)
		for _, i := range sampleIndices(n) {
			id, at := c.id(i)
			if _, _, err := paperboy.ParseArxivID(string(id)); err != nil {
				t.Fatalf("n=%d: document %d: %v", n, i, err)
			}
			if seen[id] {
				t.Fatalf("n=%d: document %d: ID %s repeats", n, i, id)
			}
			seen[id] = true
			if y := at.Year(); y < 2007 || y > 2025 {
				t.Errorf("n=%d: document %d submitted in %d", n, i, y)
			}
			if i > 0 && string(id) < string(prev) && id[:4] == prev[:4] {
				t.Errorf("n=%d: IDs go backwards within a month: %s after %s", n, id, prev)
			}
			prev = id
		}
	}
}

// sampleIndices returns the first and last documents of every month and a
// few in between: where IDs could overflow or repeat.
func sampleIndices(n int) []int {
	c := newCalendar(n)
	var out []int
	for m := range numMonths {
		for _, i := range []int{c.start[m], c.start[m+1] - 1, (c.start[m] + c.start[m+1]) / 2} {
			if i >= 0 && i < n && (len(out) == 0 || i > out[len(out)-1]) {
				out = append(out, i)
			}
		}
	}
	return out
}

func TestSizeLimits(t *testing.T) {
	for _, n := range []int{0, -1, MaxDocs + 1} {
		if _, err := New(testModel(t), n, 1); err == nil {
			t.Errorf("New(%d) accepted", n)
		}
	}
}

func TestKaggleRoundTrip(t *testing.T) {
	g := generator(t, 300, 5)
	r, format, err := arxiv.NewReader(bytes.NewReader(kaggleBytes(t, g)))
	if err != nil || format != arxiv.FormatKaggle {
		t.Fatalf("NewReader: %v, format %q", err, format)
	}
	for i := range g.Len() {
		got, err := r.Next()
		if err != nil {
			t.Fatalf("record %d: %v", i+1, err)
		}
		want := g.Paper(i)
		if got.ID != want.ID || got.Title != want.Title || got.Abstract != want.Abstract ||
			!got.Submitted.Equal(want.Submitted) || strings.Join(got.Categories, " ") != strings.Join(want.Categories, " ") ||
			strings.Join(got.AuthorNames(), "; ") != strings.Join(want.AuthorNames(), "; ") {
			t.Fatalf("record %d read back as\n%+v\nwant\n%+v", i+1, got, want)
		}
	}
}

func mean(xs []int) float64 {
	var s float64
	for _, x := range xs {
		s += float64(x)
	}
	return s / float64(len(xs))
}

// TestLooksLikeTheSample compares the generated corpus with the sample the
// model learned from: lengths, authors, categories and stopword share.
func TestLooksLikeTheSample(t *testing.T) {
	papers, err := SamplePapers()
	if err != nil {
		t.Fatal(err)
	}
	g := generator(t, 5000, 11)
	var gen []*paperboy.Paper
	for i := range g.Len() {
		gen = append(gen, g.Paper(i))
	}
	for _, c := range []struct {
		name string
		f    func(p *paperboy.Paper) int
		tol  float64
	}{
		{"title words", func(p *paperboy.Paper) int { return len(words(p.Title)) }, 0.1},
		{"abstract words", func(p *paperboy.Paper) int { return len(words(p.Abstract)) }, 0.1},
		{"authors", func(p *paperboy.Paper) int { return len(p.Authors) }, 0.15},
		{"categories", func(p *paperboy.Paper) int { return len(p.Categories) }, 0.1},
		{"stopwords per 100 words", stopShare, 0.15},
	} {
		real, synth := mean(apply(papers, c.f)), mean(apply(gen, c.f))
		if math.Abs(synth-real) > c.tol*real {
			t.Errorf("%s: generated mean %.2f, sample %.2f (tolerance %.0f%%)", c.name, synth, real, 100*c.tol)
		}
	}
	if got, want := topCategory(gen), topCategory(papers); got != want {
		t.Errorf("most common primary category: generated %s, sample %s", got, want)
	}
}

func apply(ps []*paperboy.Paper, f func(*paperboy.Paper) int) []int {
	out := make([]int, len(ps))
	for i, p := range ps {
		out[i] = f(p)
	}
	return out
}

func stopShare(p *paperboy.Paper) int {
	ws := words(p.Abstract)
	n := 0
	for _, w := range ws {
		if isStopword(w) {
			n++
		}
	}
	return 100 * n / max(len(ws), 1)
}

func topCategory(ps []*paperboy.Paper) string {
	n := map[string]int{}
	best := ""
	for _, p := range ps {
		c := p.PrimaryCategory()
		n[c]++
		if n[c] > n[best] || n[c] == n[best] && c < best {
			best = c
		}
	}
	return best
}

// TestVocabularyKeepsGrowing checks the made-up tail: like a real corpus,
// a larger one keeps meeting new words (Heaps' law).
func TestVocabularyKeepsGrowing(t *testing.T) {
	g := generator(t, 8000, 2)
	distinct := func(n int) int {
		seen := map[string]bool{}
		for i := range n {
			for _, w := range words(g.Paper(i).Abstract) {
				seen[w] = true
			}
		}
		return len(seen)
	}
	small, large := distinct(2000), distinct(8000)
	if float64(large) < 1.5*float64(small) {
		t.Errorf("distinct words: %d in 2,000 papers, %d in 8,000; want at least 1.5 times as many", small, large)
	}
}

func TestAliasDrawsInProportion(t *testing.T) {
	a := newAlias([]float64{1, 0, 3, 6})
	r := rand.New(rand.NewPCG(1, 2))
	var n [4]int
	for range 100000 {
		n[a.draw(r)]++
	}
	for i, want := range []float64{0.1, 0, 0.3, 0.6} {
		if got := float64(n[i]) / 100000; math.Abs(got-want) > 0.01 {
			t.Errorf("index %d drawn %.3f of the time, want %.1f", i, got, want)
		}
	}
}

func TestReadBEIR(t *testing.T) {
	path := t.TempDir() + "/corpus.jsonl"
	data := `{"_id": "1", "title": "Aspirin", "text": "Aspirin lowers risk."}` + "\n" +
		`{"_id": "2", "title": "", "text": "Statins."}` + "\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadBEIR(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != (Text{"Aspirin", "Aspirin lowers risk."}) || got[1].Body != "Statins." {
		t.Errorf("ReadBEIR = %+v", got)
	}
}

func TestWords(t *testing.T) {
	got := strings.Join(words(`The $O(n^2)$ \emph{LHC} pre-training, 42 GeVs and Schrödinger's`), "|")
	want := "the|LHC|pre-training|gevs|and|schrödinger|s"
	if got != want {
		t.Errorf("words = %s, want %s", got, want)
	}
}
