package search

import "testing"

// BenchmarkHighlight highlights a results page: 20 abstracts of ~150 words.
func BenchmarkHighlight(b *testing.B) {
	abstract := "We study the training of deep neural networks with large learning rates and show that " +
		"normalization layers, warm-up schedules and adaptive optimizers keep the optimisation stable. " +
		"Experiments on image classification and language modelling confirm that the proposed schedule " +
		"reaches the accuracy of tuned baselines in fewer steps, while pre-training on larger corpora " +
		"improves robustness. We analyse the sharpness of the loss landscape along the trajectory and " +
		"relate the edge of stability to the learning rate, batch size and the curvature of the network."
	terms := []string{"neural", "networks", "learning rate"}
	for b.Loop() {
		for range 20 {
			Highlight(abstract, terms)
		}
	}
}
