package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"paperboy/internal/embed"
)

// TestEmbedTrainRefine trains the built-in embedder with refinement from
// the command line on the demo sample, and refuses a negative number of
// epochs.
func TestEmbedTrainRefine(t *testing.T) {
	sample := writeSample(t)
	env := map[string]string{"PAPERBOY_DB": filepath.Join(t.TempDir(), "p.db")}
	if code, _, errOut := runCLI(t, env, "import", sample); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	code, out, errOut := runCLI(t, env, "embed", "train", "--dim", "16", "--refine", "1")
	if code != 0 {
		t.Fatalf("embed train: exit %d: %s", code, errOut)
	}
	if want := "trained builtin/lsa-bm25-ict@1 (dim 16)"; !strings.Contains(out, want) {
		t.Errorf("embed train said %q, want %q", out, want)
	}
	if code, _, errOut := runCLI(t, env, "embed", "train", "--refine", "-1"); code != 2 || !strings.Contains(errOut, "--refine -1") {
		t.Errorf("embed train --refine -1: exit %d, stderr %q; want 2 naming the flag", code, errOut)
	}
}

// TestRetrainOptions checks that serve's retraining keeps the dimension
// and refinement of the built-in model in use.
func TestRetrainOptions(t *testing.T) {
	texts := []string{"Warmup keeps training stable.\nLarge learning rates diverge. Clipping helps.",
		"Protein folding.\nMolecular dynamics of proteins. Energy landscapes of folding."}
	m, err := embed.Train(context.Background(), texts, embed.TrainOptions{Dim: 2, MinDF: 1, Refine: 3, RefineBatch: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := retrainOptions(embed.NewBuiltin(m, 1))
	if got.Dim != 2 || got.Refine != 3 {
		t.Errorf("retraining a model of dim 2 refined 3 epochs uses dim %d, %d epochs", got.Dim, got.Refine)
	}
	if got := retrainOptions(nil); got != embed.DefaultTrainOptions() {
		t.Errorf("retraining with no model in use: %+v, want the defaults", got)
	}
}
