// Package corpus makes synthetic arXiv-like corpora of any size up to
// arXiv's own, for the benchmark: a topic-mixture model learned from the
// bundled real arXiv sample and the SciFact corpus (vocabulary, word and
// collocation frequencies per subject, title and abstract lengths, authors,
// categories), a calendar of arXiv IDs and dates, and a generator whose
// document i depends only on the seed and i. It also writes Kaggle JSON lines.
package corpus
