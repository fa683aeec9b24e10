package storetest

import (
	"context"
	"slices"
	"testing"

	"paperboy"
)

// embeddingCases are the conformance cases of paperboy.EmbeddingStore.
var embeddingCases = []struct {
	name string
	fn   func(t *testing.T, open Opener)
}{
	{"EmbedRoundTrip", testEmbedRoundTrip},
	{"EmbedPaging", testEmbedPaging},
	{"EmbedErrors", testEmbedErrors},
	{"EmbedSwitchOver", testEmbedSwitchOver},
	{"EmbedPersistence", testEmbedPersistence},
}

var (
	contractA = paperboy.EmbedContract{Embedder: "builtin", Model: "lsa-bm25", Dim: 3, Version: 1}
	contractB = paperboy.EmbedContract{Embedder: "builtin", Model: "lsa-bm25", Dim: 3, Version: 2}
)

func embeddingStore(t *testing.T, s paperboy.PaperStore) paperboy.EmbeddingStore {
	t.Helper()
	es, ok := s.(paperboy.EmbeddingStore)
	if !ok {
		t.Fatalf("%T does not implement paperboy.EmbeddingStore", s)
	}
	return es
}

func mustCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := paperboy.ErrorCode(err); got != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

func mustSets(t *testing.T, es paperboy.EmbeddingStore) []paperboy.EmbedSet {
	t.Helper()
	sets, err := es.EmbedSets(context.Background())
	if err != nil {
		t.Fatalf("EmbedSets: %v", err)
	}
	return sets
}

func testEmbedRoundTrip(t *testing.T, open Opener) {
	ctx := context.Background()
	es := embeddingStore(t, newStore(t, open))
	model := []byte{0, 1, 2, 255}
	if err := es.CreateEmbedSet(ctx, contractA, model); err != nil {
		t.Fatal(err)
	}
	vecs := []paperboy.PaperVector{
		{ID: "2401.00002", Vec: []float32{0.5, -0.25, 1e-7}},
		{ID: "2401.00001", Vec: []float32{1, 0, -3.5}},
	}
	if err := es.PutVectors(ctx, contractA, 7, vecs, nil); err != nil {
		t.Fatal(err)
	}
	got, err := es.Vector(ctx, contractA, "2401.00002")
	if err != nil || !slices.Equal(got, vecs[0].Vec) {
		t.Errorf("Vector = %v, %v; want %v", got, err, vecs[0].Vec)
	}
	// Replacing one vector and deleting another in one call.
	repl := []paperboy.PaperVector{{ID: "2401.00002", Vec: []float32{9, 8, 7}}}
	if err := es.PutVectors(ctx, contractA, 5, repl, []paperboy.ArxivID{"2401.00001"}); err != nil {
		t.Fatal(err)
	}
	all, err := es.Vectors(ctx, contractA, "", 0)
	if err != nil || len(all) != 1 || all[0].ID != "2401.00002" || !slices.Equal(all[0].Vec, repl[0].Vec) {
		t.Errorf("Vectors = %v, %v; want only 2401.00002 = %v", all, err, repl[0].Vec)
	}
	m, err := es.EmbedModel(ctx, contractA)
	if err != nil || !slices.Equal(m, model) {
		t.Errorf("EmbedModel = %v, %v; want %v", m, err, model)
	}
	sets := mustSets(t, es)
	want := paperboy.EmbedSet{Contract: contractA, State: paperboy.EmbedBuilding, Seq: 7, Count: 1}
	if len(sets) != 1 || sets[0].Contract != want.Contract || sets[0].State != want.State ||
		sets[0].Seq != want.Seq || sets[0].Count != want.Count || sets[0].Created.IsZero() {
		t.Errorf("EmbedSets = %+v, want one like %+v (seq never goes back)", sets, want)
	}
}

func testEmbedPaging(t *testing.T, open Opener) {
	ctx := context.Background()
	es := embeddingStore(t, newStore(t, open))
	if err := es.CreateEmbedSet(ctx, contractA, nil); err != nil {
		t.Fatal(err)
	}
	var vecs []paperboy.PaperVector
	for _, id := range []paperboy.ArxivID{"2401.00003", "hep-th/9901001", "2401.00001", "2312.00009", "2401.00002"} {
		vecs = append(vecs, paperboy.PaperVector{ID: id, Vec: []float32{1, 2, 3}})
	}
	if err := es.PutVectors(ctx, contractA, 1, vecs, nil); err != nil {
		t.Fatal(err)
	}
	var got []string
	after := paperboy.ArxivID("")
	for {
		page, err := es.Vectors(ctx, contractA, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, v := range page {
			got = append(got, string(v.ID))
		}
		after = page[len(page)-1].ID
	}
	want := []string{"2312.00009", "2401.00001", "2401.00002", "2401.00003", "hep-th/9901001"}
	if !slices.Equal(got, want) {
		t.Errorf("paged IDs = %v, want %v", got, want)
	}
}

func testEmbedErrors(t *testing.T, open Opener) {
	ctx := context.Background()
	es := embeddingStore(t, newStore(t, open))
	mustCode(t, "CreateEmbedSet invalid", es.CreateEmbedSet(ctx, paperboy.EmbedContract{Embedder: "x"}, nil), paperboy.EINVALID)
	mustCode(t, "PutVectors no set", es.PutVectors(ctx, contractA, 1, nil, nil), paperboy.ENOTFOUND)
	_, err := es.Vectors(ctx, contractA, "", 0)
	mustCode(t, "Vectors no set", err, paperboy.ENOTFOUND)
	_, err = es.EmbedModel(ctx, contractA)
	mustCode(t, "EmbedModel no set", err, paperboy.ENOTFOUND)
	mustCode(t, "Activate no set", es.ActivateEmbedSet(ctx, contractA), paperboy.ENOTFOUND)
	mustCode(t, "Delete no set", es.DeleteEmbedSet(ctx, contractA), paperboy.ENOTFOUND)
	if err := es.CreateEmbedSet(ctx, contractA, nil); err != nil {
		t.Fatal(err)
	}
	mustCode(t, "CreateEmbedSet twice", es.CreateEmbedSet(ctx, contractA, nil), paperboy.ECONFLICT)
	bad := []paperboy.PaperVector{{ID: "2401.00001", Vec: []float32{1, 2}}}
	mustCode(t, "PutVectors wrong dim", es.PutVectors(ctx, contractA, 1, bad, nil), paperboy.EINVALID)
	_, err = es.Vector(ctx, contractA, "2401.00001")
	mustCode(t, "Vector missing", err, paperboy.ENOTFOUND)
	_, err = es.Vectors(ctx, contractA, "", -1)
	mustCode(t, "Vectors negative limit", err, paperboy.EINVALID)
}

// testEmbedSwitchOver builds a second set beside the active one; activating
// it drops the old set and its vectors.
func testEmbedSwitchOver(t *testing.T, open Opener) {
	ctx := context.Background()
	es := embeddingStore(t, newStore(t, open))
	one := []paperboy.PaperVector{{ID: "2401.00001", Vec: []float32{1, 0, 0}}}
	for _, c := range []paperboy.EmbedContract{contractA, contractB} {
		if err := es.CreateEmbedSet(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		if err := es.PutVectors(ctx, c, 3, one, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := es.ActivateEmbedSet(ctx, contractA); err != nil {
		t.Fatal(err)
	}
	states := func() map[int]string {
		m := map[int]string{}
		for _, s := range mustSets(t, es) {
			m[s.Contract.Version] = s.State
		}
		return m
	}
	if got := states(); got[1] != paperboy.EmbedActive || got[2] != paperboy.EmbedBuilding {
		t.Errorf("after activating A: states %v, want 1 active, 2 building", got)
	}
	if err := es.ActivateEmbedSet(ctx, contractB); err != nil {
		t.Fatal(err)
	}
	if got := states(); len(got) != 1 || got[2] != paperboy.EmbedActive {
		t.Errorf("after activating B: states %v, want only 2 active", got)
	}
	_, err := es.Vector(ctx, contractA, "2401.00001")
	mustCode(t, "old set's vector", err, paperboy.ENOTFOUND)
}

func testEmbedPersistence(t *testing.T, open Opener) {
	ctx := context.Background()
	name := dbName(t)
	s := open(t, name)
	es := embeddingStore(t, s)
	if err := es.CreateEmbedSet(ctx, contractA, []byte("model")); err != nil {
		t.Fatal(err)
	}
	want := []float32{0.1, 0.2, 0.3}
	if err := es.PutVectors(ctx, contractA, 1, []paperboy.PaperVector{{ID: "2401.00001", Vec: want}}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, name)
	defer s.Close()
	got, err := embeddingStore(t, s).Vector(ctx, contractA, "2401.00001")
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("after reopening: %v, %v; want %v", got, err, want)
	}
}
