package corpus

import (
	"strings"

	"paperboy"
)

// Model is what the generator learned from real text: a vocabulary with
// per-topic word and word-pair frequencies, and the empirical distributions
// of lengths, authors and categories. Topics are arXiv subject areas; a
// generated paper mixes its own topic's words with the background (all the
// text) and a little of a second topic.
type Model struct {
	Vocab      []string // word id -> surface form
	Background Topic
	Topics     []Topic
	Cats       []Category // primary categories, with their weights in cats
	cats       alias

	TitleLens, AbstractLens []int // empirical, in words
	AuthorCounts            []int
	firstNames, surnames    []string
	first, last             alias
	classes                 map[string]string // query-worthy word -> "high" or "mid"
	stop                    []bool            // word id -> stopword
}

// Topic is a word distribution plus, for words that start collocations
// ("neural network"), the distribution of the word that follows, so that
// generated text has phrases worth querying.
type Topic struct {
	Name    string
	words   []int32
	wordsA  alias
	next    map[int32]*continuation
	HasText bool
}

// continuation is the distribution of the words seen after one word.
type continuation struct {
	words []int32
	a     alias
}

// Category is a primary category and the cross-lists seen with it.
type Category struct {
	Name   string
	Topic  int        // index in Model.Topics
	Others [][]string // cross-list sets seen in the sample, one drawn per paper
}

// minTopicDocs is the number of sample papers a category needs for its own
// topic; rarer categories share their archive's.
const minTopicDocs = 30

// scifactWeight scales SciFact's word counts in the background, so that
// biomedical words are present but do not dominate what arXiv looks like.
const scifactWeight = 0.25

// Learn builds the model from real arXiv papers and a second corpus of
// scientific text (SciFact), which joins the q-bio topic and, scaled down,
// the background.
func Learn(papers []*paperboy.Paper, extra []Text) *Model {
	l := newLearner()
	topicOf := topicKeys(papers)
	for _, p := range papers {
		key := topicOf[p.PrimaryCategory()]
		l.addText(key, p.Title, 1)
		l.addText(key, p.Abstract, 1)
	}
	for _, t := range extra {
		l.addText("q-bio", t.Title, scifactWeight)
		l.addText("q-bio", t.Body, scifactWeight)
	}
	m := l.model()
	m.learnPapers(papers, topicOf)
	return m
}

// topicKeys maps each primary category to its topic: itself when common
// enough, else its archive.
func topicKeys(papers []*paperboy.Paper) map[string]string {
	n := map[string]int{}
	for _, p := range papers {
		n[p.PrimaryCategory()]++
	}
	keys := map[string]string{}
	for c, k := range n {
		if k >= minTopicDocs {
			keys[c] = c
		} else {
			keys[c], _, _ = strings.Cut(c, ".")
		}
	}
	return keys
}

func (m *Model) learnPapers(papers []*paperboy.Paper, topicOf map[string]string) {
	topicIdx := map[string]int{}
	for i, t := range m.Topics {
		topicIdx[t.Name] = i
	}
	catIdx := map[string]int{}
	var catW []float64
	firsts, lasts := map[string]float64{}, map[string]float64{}
	for _, p := range papers {
		c := p.PrimaryCategory()
		i, ok := catIdx[c]
		if !ok {
			i = len(m.Cats)
			catIdx[c] = i
			m.Cats = append(m.Cats, Category{Name: c, Topic: topicIdx[topicOf[c]]})
			catW = append(catW, 0)
		}
		catW[i]++
		m.Cats[i].Others = append(m.Cats[i].Others, p.Categories[1:])
		m.TitleLens = append(m.TitleLens, max(len(words(p.Title)), 2))
		m.AbstractLens = append(m.AbstractLens, max(len(words(p.Abstract)), 10))
		m.AuthorCounts = append(m.AuthorCounts, max(len(p.Authors), 1))
		for _, a := range p.Authors {
			f, l := splitName(a.Name)
			firsts[f]++
			lasts[l]++
		}
	}
	m.cats = newAlias(catW)
	var fw, lw []float64
	m.firstNames, fw = counted(firsts)
	m.surnames, lw = counted(lasts)
	m.first, m.last = newAlias(fw), newAlias(lw)
}

// splitName splits "Geoffrey E. Hinton" into "Geoffrey E." and "Hinton".
func splitName(name string) (string, string) {
	name = strings.TrimSpace(name)
	i := strings.LastIndexByte(name, ' ')
	if i < 0 {
		return "A.", name
	}
	return name[:i], name[i+1:]
}

// Frequency classes of query words, by rank among the background's
// non-stopwords: the top HighWords are "high", the next ones up to MidWords
// "mid".
const (
	HighWords = 300
	MidWords  = 5000
)

// Class returns "high" or "mid" for a word worth querying (lower-case
// letters only, at least three, not a stopword) by its frequency, and ""
// for any other word.
func (m *Model) Class(w string) string { return m.classes[w] }

// classify ranks the query-worthy words by background count.
func (m *Model) classify(ranked []int32) {
	m.classes = map[string]string{}
	n := 0
	for _, id := range ranked {
		w := m.Vocab[id]
		if !queryWorthy(w) {
			continue
		}
		switch {
		case n < HighWords:
			m.classes[w] = "high"
		case n < MidWords:
			m.classes[w] = "mid"
		default:
			return
		}
		n++
	}
}

func queryWorthy(w string) bool {
	if len(w) < 3 || isStopword(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}
