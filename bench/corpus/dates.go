package corpus

import (
	"fmt"
	"math"
	"sort"
	"time"

	"paperboy"
)

// MaxDocs is the largest corpus the generator makes: about arXiv's size.
const MaxDocs = 2_700_000

// The calendar of a generated corpus: new-style IDs from April 2007 to
// December 2025, with monthly volume growing eightfold, as arXiv's did. At
// MaxDocs this gives about 4,700 papers in 2007-04, 8,400 in 2014-12 (under
// the 9,999 that four-digit numbers allow) and 28,500 in 2025-12.
const (
	firstYear, firstMonth = 2007, 4
	numMonths             = 225
	growth                = 8.0
)

// calendar assigns each document index a month, an arXiv ID and a
// submission time, in order, so that IDs and dates rise with the index.
type calendar struct {
	start []int // start[m] is the index of month m's first document; start[numMonths] = n
}

func newCalendar(n int) calendar {
	g := math.Log(growth) / (numMonths - 1)
	cum := make([]float64, numMonths+1)
	for m := range numMonths {
		cum[m+1] = cum[m] + math.Exp(g*float64(m))
	}
	c := calendar{start: make([]int, numMonths+1)}
	for m := range c.start {
		c.start[m] = int(math.Floor(float64(n) * cum[m] / cum[numMonths]))
	}
	c.start[numMonths] = n // against rounding
	return c
}

func monthStart(m int) time.Time {
	return time.Date(firstYear, time.Month(firstMonth+m), 1, 0, 0, 0, 0, time.UTC)
}

// month returns the month of document i.
func (c calendar) month(i int) int {
	return sort.Search(numMonths, func(m int) bool { return c.start[m+1] > i })
}

// id returns document i's arXiv ID and first-submission time: the k-th
// paper of a month is number k and is submitted k/count of the way through
// the month.
func (c calendar) id(i int) (paperboy.ArxivID, time.Time) {
	m := c.month(i)
	k, count := i-c.start[m], c.start[m+1]-c.start[m]
	from, to := monthStart(m), monthStart(m+1)
	at := from.Add(time.Duration(float64(to.Sub(from)) * float64(k) / float64(count))).Truncate(time.Second)
	digits := 4
	if from.Year() >= 2015 {
		digits = 5
	}
	id := fmt.Sprintf("%02d%02d.%0*d", from.Year()%100, int(from.Month()), digits, k+1)
	return paperboy.ArxivID(id), at
}
