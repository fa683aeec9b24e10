package corpus

import (
	"cmp"
	"slices"
)

// learner counts words and word pairs per topic.
type learner struct {
	ids    map[string]int32
	vocab  []string
	bg     map[int32]float64
	topics map[string]*topicCounts
}

type topicCounts struct {
	words map[int32]float64
	pairs map[[2]int32]float64
	text  bool
}

func newLearner() *learner {
	return &learner{ids: map[string]int32{}, bg: map[int32]float64{}, topics: map[string]*topicCounts{}}
}

func (l *learner) id(w string) int32 {
	i, ok := l.ids[w]
	if !ok {
		i = int32(len(l.vocab))
		l.ids[w] = i
		l.vocab = append(l.vocab, w)
	}
	return i
}

func (l *learner) addText(topic, text string, weight float64) {
	tc := l.topics[topic]
	if tc == nil {
		tc = &topicCounts{words: map[int32]float64{}, pairs: map[[2]int32]float64{}}
		l.topics[topic] = tc
	}
	tc.text = true
	ws := words(text)
	for i, w := range ws {
		id := l.id(w)
		tc.words[id] += weight
		l.bg[id] += weight
		if i > 0 && !isStopword(ws[i-1]) && !isStopword(w) {
			tc.pairs[[2]int32{l.id(ws[i-1]), id}] += weight
		}
	}
}

// model freezes the counts into alias tables. Pairs seen only once (per unit
// of weight) are dropped: they are accidents, not collocations.
func (l *learner) model() *Model {
	m := &Model{Vocab: l.vocab}
	m.Background = topicFrom("", l.bg, nil)
	names := make([]string, 0, len(l.topics))
	for name := range l.topics {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		tc := l.topics[name]
		m.Topics = append(m.Topics, topicFrom(name, tc.words, tc.pairs))
	}
	m.classify(byCount(l.bg, len(l.vocab)))
	m.stop = make([]bool, len(m.Vocab))
	for i, w := range m.Vocab {
		m.stop[i] = isStopword(w)
	}
	return m
}

func topicFrom(name string, words map[int32]float64, pairs map[[2]int32]float64) Topic {
	t := Topic{Name: name, HasText: len(words) > 0}
	ws := make([]float64, 0, len(words))
	for _, id := range sortedKeys(words, func(a, b int32) int { return cmp.Compare(a, b) }) {
		t.words = append(t.words, id)
		ws = append(ws, words[id])
	}
	t.wordsA = newAlias(ws)
	// Pairs sorted by first word then second, so each first word's
	// continuations are one run.
	keys := sortedKeys(pairs, comparePair)
	for i := 0; i < len(keys); {
		j := i
		var next []int32
		var ws []float64
		for ; j < len(keys) && keys[j][0] == keys[i][0]; j++ {
			if pairs[keys[j]] >= 2 {
				next = append(next, keys[j][1])
				ws = append(ws, pairs[keys[j]])
			}
		}
		if len(next) > 0 {
			if t.next == nil {
				t.next = map[int32]*continuation{}
			}
			t.next[keys[i][0]] = &continuation{next, newAlias(ws)}
		}
		i = j
	}
	return t
}

func comparePair(a, b [2]int32) int {
	if c := cmp.Compare(a[0], b[0]); c != 0 {
		return c
	}
	return cmp.Compare(a[1], b[1])
}

func sortedKeys[K comparable](m map[K]float64, c func(a, b K) int) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, c)
	return keys
}

// byCount orders word ids by falling count (ties by id).
func byCount(counts map[int32]float64, n int) []int32 {
	ids := make([]int32, n)
	for i := range ids {
		ids[i] = int32(i)
	}
	slices.SortFunc(ids, func(a, b int32) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return ids
}
