package search

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestMergeMatchesBuild checks that merging segments, in two term ranges
// at once, encodes exactly what building one segment of their documents
// does.
func TestMergeMatchesBuild(t *testing.T) {
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 3))
		papers, _ := scaleCorpus(300 + rng.IntN(500))
		if seed%2 == 1 {
			papers, _ = randomCorpus(rng, 300+rng.IntN(500))
		}
		st := newStemmer()
		ads := make([]*analyzedDoc, len(papers))
		for i, p := range papers {
			ads[i] = analyzePaper(p, st)
		}
		testSpec := specFor(DefaultParams(), newView(nil, 0), ads)
		var svs []*segView
		for from := 0; from < len(ads); {
			to := min(len(ads), from+1+rng.IntN(200))
			svs = append(svs, &segView{seg: buildSegment(ads[from:to], testSpec)})
			from = to
		}
		want, got := buildSegment(ads, testSpec), mergeSegments(svs, testSpec)
		sections := []struct {
			name      string
			got, want []byte
		}{
			{"dictIndex", b64(got.dictIndex), b64(want.dictIndex)},
			{"dict", got.dict, want.dict},
			{"blockMeta", b32(got.blockMeta), b32(want.blockMeta)},
			{"post", got.post, want.post},
			{"lens", b16(got.lens), b16(want.lens)},
			{"longLens", b32(got.longLens), b32(want.longLens)},
		}
		for _, sec := range sections {
			if !bytes.Equal(sec.got, sec.want) {
				t.Errorf("seed %d, %d segments: merged %s differ from built (%d and %d bytes)",
					seed, len(svs), sec.name, len(sec.got), len(sec.want))
			}
		}
	}
}

// TestBuildAcrossStemmers builds one segment from documents analysed by
// several stemmers, each numbering terms its own way (as the analysis
// workers and a stem cache reset do), in runs and interleaved, and checks
// it encodes exactly what one stemmer's documents give.
func TestBuildAcrossStemmers(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 4))
	papers, _ := randomCorpus(rng, 600)
	one := newStemmer()
	want := make([]*analyzedDoc, len(papers))
	for i, p := range papers {
		want[i] = analyzePaper(p, one)
	}
	sts := []*stemmer{newStemmer(), newStemmer(), newStemmer()}
	got := make([]*analyzedDoc, len(papers))
	for i, p := range papers {
		k := 0 // a run of the first stemmer, then the others interleaved
		if i >= 200 {
			k = 1 + i%2
		}
		got[i] = analyzePaper(p, sts[k])
	}
	spec := specFor(DefaultParams(), newView(nil, 0), want)
	w, g := buildSegment(want, spec), buildSegment(got, spec)
	if !bytes.Equal(w.data, g.data) {
		t.Errorf("segment from three stemmers (%d bytes) differs from one stemmer's (%d bytes)", len(g.data), len(w.data))
	}
}
