package corpus

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"

	"paperboy"
)

// Mixture and tail parameters of the generator. The tail is a Zipf
// distribution over made-up words: real corpora keep meeting new words
// (Heaps' law), which a vocabulary learned from 8,000 documents alone would
// not do at a million.
const (
	pairProb     = 0.2  // a draw emits a collocation rather than one word
	tailProb     = 0.02 // a word comes from the made-up tail
	tailWords    = 4_000_000
	tailSurnames = 1_000_000
	tailNameProb = 0.5 // a surname is made up rather than from the sample
	secondShare  = 0.1 // the second topic's share of a paper's words
)

// Generator makes the documents of one synthetic corpus. Document i depends
// only on the model, the seed and i, so documents can be made in any order,
// in parallel, or again later (to load results without storing the corpus).
type Generator struct {
	m    *Model
	n    int
	seed uint64
	cal  calendar
}

// New returns a generator of n documents.
func New(m *Model, n int, seed uint64) (*Generator, error) {
	if n < 1 || n > MaxDocs {
		return nil, fmt.Errorf("corpus size %d: want 1 to %d", n, MaxDocs)
	}
	return &Generator{m: m, n: n, seed: seed, cal: newCalendar(n)}, nil
}

// Len returns the number of documents.
func (g *Generator) Len() int { return g.n }

// Model returns the model the generator draws from.
func (g *Generator) Model() *Model { return g.m }

func (g *Generator) rng(i int, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed, uint64(i)<<8|stream))
}

// ID returns document i's arXiv ID without generating the rest of it.
func (g *Generator) ID(i int) paperboy.ArxivID {
	id, _ := g.cal.id(i)
	return id
}

// Paper generates document i.
func (g *Generator) Paper(i int) *paperboy.Paper {
	r := g.rng(i, 0)
	m := g.m
	cat := &m.Cats[m.cats.draw(r)]
	others := cat.Others[r.IntN(len(cat.Others))]
	mix := mixture{
		own:    &m.Topics[cat.Topic],
		second: &m.Topics[r.IntN(len(m.Topics))],
		bg:     &m.Background,
		ownP:   0.45 + 0.3*r.Float64(),
	}
	id, at := g.cal.id(i)
	p := &paperboy.Paper{
		ID:         id,
		Version:    1,
		Versions:   []paperboy.Version{{Number: 1, Date: at}},
		Categories: append([]string{cat.Name}, others...),
		Submitted:  at,
		Updated:    at,
	}
	p.Title = g.text(r, &mix, m.TitleLens[r.IntN(len(m.TitleLens))], false)
	p.Abstract = g.text(r, &mix, m.AbstractLens[r.IntN(len(m.AbstractLens))], true)
	p.Authors = g.authors(r)
	p.Submitter = p.Authors[0].Name
	return p
}

type mixture struct {
	own, second, bg *Topic
	ownP            float64
}

func (x *mixture) pick(r *rand.Rand) *Topic {
	u := r.Float64()
	switch {
	case u < x.ownP:
		return x.own
	case u < x.ownP+secondShare:
		return x.second
	}
	return x.bg
}

// text writes n words drawn from the mixture; an abstract is cut into
// sentences, a title is one capitalised line.
func (g *Generator) text(r *rand.Rand, x *mixture, n int, sentences bool) string {
	var b strings.Builder
	b.Grow(n * 8)
	sentence := 0
	for written := 0; written < n; {
		ws := g.draw(r, x)
		for _, w := range ws {
			if written > 0 {
				if sentences && sentence >= 12 && r.IntN(10) == 0 {
					b.WriteString(". ")
					sentence = 0
				} else {
					b.WriteByte(' ')
				}
			}
			if sentence == 0 || (!sentences && written == 0) {
				w = capitalize(w)
			}
			b.WriteString(w)
			written++
			sentence++
		}
	}
	if sentences {
		b.WriteByte('.')
	}
	return b.String()
}

// draw returns one word, or the two words of a collocation. The made-up
// tail and collocations replace or follow content words only, so that the
// share of stopwords stays what the model learned.
func (g *Generator) draw(r *rand.Rand, x *mixture) []string {
	t := x.pick(r)
	if !t.HasText {
		t = x.bg
	}
	w := t.words[t.wordsA.draw(r)]
	if g.m.stop[w] {
		return []string{g.m.Vocab[w]}
	}
	if r.Float64() < tailProb {
		return []string{tailWord(zipf(r, tailWords))}
	}
	if c := t.next[w]; c != nil && r.Float64() < pairProb {
		return []string{g.m.Vocab[w], g.m.Vocab[c.words[c.a.draw(r)]]}
	}
	return []string{g.m.Vocab[w]}
}

func (g *Generator) authors(r *rand.Rand) []paperboy.Author {
	m := g.m
	n := m.AuthorCounts[r.IntN(len(m.AuthorCounts))]
	as := make([]paperboy.Author, n)
	for i := range as {
		last := m.surnames[m.last.draw(r)]
		if r.Float64() < tailNameProb {
			last = capitalize(tailWord(zipf(r, tailSurnames)))
		}
		as[i].Name = m.firstNames[m.first.draw(r)] + " " + last
	}
	return as
}

// zipf draws a rank in [0, n) with probability about proportional to
// 1/(rank+1).
func zipf(r *rand.Rand, n int) int {
	return min(int(math.Exp(r.Float64()*math.Log(float64(n+1))))-1, n-1)
}

var syllables = strings.Fields(`ba be bi bo bu da de di do du fa fe fi fo ka ke ki ko ku
la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su
ta te ti to tu va ve vi vo vu za ze zi zo`)

// tailWord spells rank as syllables, at least three of them, so that made-up
// words are pronounceable, distinct and rarely real words.
func tailWord(rank int) string {
	var b strings.Builder
	k := rank + len(syllables)*len(syllables)
	for k > 0 {
		b.WriteString(syllables[k%len(syllables)])
		k /= len(syllables)
	}
	b.WriteByte('n')
	return b.String()
}

func capitalize(w string) string {
	r, size := utf8.DecodeRuneInString(w)
	if unicode.IsUpper(r) {
		return w
	}
	return string(unicode.ToUpper(r)) + w[size:]
}
