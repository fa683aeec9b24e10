package embed

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
)

// csr is a sparse matrix in compressed sparse row form: rows are
// documents, columns terms.
type csr struct {
	rows, cols int
	start      []int // row r's entries are col[start[r]:start[r+1]]
	col        []int32
	val        []float32
}

// dense is a row-major matrix.
type dense struct {
	rows, cols int
	v          []float64
}

func newDense(r, c int) *dense { return &dense{rows: r, cols: c, v: make([]float64, r*c)} }

func (m *dense) row(i int) []float64 { return m.v[i*m.cols : (i+1)*m.cols] }

// parallel runs fn over [0,n) split into chunks on up to GOMAXPROCS
// goroutines; fn must write only its own rows.
func parallel(n int, fn func(from, to int)) {
	w := max(1, min(runtime.GOMAXPROCS(0), n/64))
	per := (n + w - 1) / w
	var wg sync.WaitGroup
	for i := range w {
		from, to := i*per, min((i+1)*per, n)
		wg.Go(func() { fn(from, to) })
	}
	wg.Wait()
}

// mulDense returns A·X for X with A.cols rows.
func (a *csr) mulDense(x *dense) *dense {
	out := newDense(a.rows, x.cols)
	parallel(a.rows, func(from, to int) {
		for r := from; r < to; r++ {
			o := out.row(r)
			for k := a.start[r]; k < a.start[r+1]; k++ {
				w := float64(a.val[k])
				for j, xv := range x.row(int(a.col[k])) {
					o[j] += w * xv
				}
			}
		}
	})
	return out
}

// tmulDense returns Aᵀ·Y for Y with A.rows rows. Each worker accumulates
// into its own matrix, summed in a fixed order so results do not depend on
// scheduling.
func (a *csr) tmulDense(y *dense) *dense {
	w := max(1, min(runtime.GOMAXPROCS(0), a.rows/64))
	per := (a.rows + w - 1) / w
	parts := make([]*dense, w)
	var wg sync.WaitGroup
	for i := range w {
		from, to := i*per, min((i+1)*per, a.rows)
		wg.Go(func() {
			out := newDense(a.cols, y.cols)
			for r := from; r < to; r++ {
				yr := y.row(r)
				for k := a.start[r]; k < a.start[r+1]; k++ {
					o, w := out.row(int(a.col[k])), float64(a.val[k])
					for j, yv := range yr {
						o[j] += w * yv
					}
				}
			}
			parts[i] = out
		})
	}
	wg.Wait()
	for _, p := range parts[1:] {
		for i, v := range p.v {
			parts[0].v[i] += v
		}
	}
	return parts[0]
}

// transpose returns mᵀ.
func (m *dense) transpose() *dense {
	t := newDense(m.cols, m.rows)
	for i := range m.rows {
		for j, x := range m.row(i) {
			t.v[j*m.rows+i] = x
		}
	}
	return t
}

// orthonormalize replaces the columns of m by an orthonormal basis of
// their span (modified Gram-Schmidt, twice for stability), working on the
// transpose so that each column is contiguous.
func orthonormalize(m *dense) {
	t := m.transpose()
	for pass := 0; pass < 2; pass++ {
		for j := range t.rows {
			col := t.row(j)
			for k := 0; k < j; k++ {
				prev := t.row(k)
				var d float64
				for i, c := range col {
					d += c * prev[i]
				}
				for i := range col {
					col[i] -= d * prev[i]
				}
			}
			var n float64
			for _, c := range col {
				n += c * c
			}
			n = math.Sqrt(n)
			if n < 1e-12 {
				n = math.Inf(1) // a dependent column becomes zero
			}
			for i := range col {
				col[i] /= n
			}
		}
	}
	for i := range m.rows {
		row := m.row(i)
		for j := range row {
			row[j] = t.v[j*m.rows+i]
		}
	}
}

// symEigen returns the eigenvalues (descending) and eigenvectors (as
// columns of a row-major n×n matrix) of the symmetric matrix s, by cyclic
// Jacobi rotations.
func symEigen(s *dense) ([]float64, *dense) {
	n := s.rows
	a := &dense{rows: n, cols: n, v: append([]float64(nil), s.v...)}
	v := newDense(n, n)
	for i := range n {
		v.v[i*n+i] = 1
	}
	for sweep := 0; sweep < 60; sweep++ {
		var off float64
		for p := 0; p < n; p++ {
			for q := p + 1; q < n; q++ {
				off += a.v[p*n+q] * a.v[p*n+q]
			}
		}
		if off < 1e-22 {
			break
		}
		for p := 0; p < n; p++ {
			for q := p + 1; q < n; q++ {
				jacobiRotate(a, v, p, q)
			}
		}
	}
	vals := make([]float64, n)
	order := make([]int, n)
	for i := range n {
		vals[i], order[i] = a.v[i*n+i], i
	}
	sortDesc(order, vals)
	outVals := make([]float64, n)
	outVecs := newDense(n, n)
	for j, o := range order {
		outVals[j] = vals[o]
		for i := range n {
			outVecs.v[i*n+j] = v.v[i*n+o]
		}
	}
	return outVals, outVecs
}

func jacobiRotate(a, v *dense, p, q int) {
	n := a.rows
	apq := a.v[p*n+q]
	if math.Abs(apq) < 1e-300 {
		return
	}
	theta := (a.v[q*n+q] - a.v[p*n+p]) / (2 * apq)
	t := math.Copysign(1, theta) / (math.Abs(theta) + math.Sqrt(theta*theta+1))
	c := 1 / math.Sqrt(t*t+1)
	s := t * c
	for k := range n {
		akp, akq := a.v[k*n+p], a.v[k*n+q]
		a.v[k*n+p], a.v[k*n+q] = c*akp-s*akq, s*akp+c*akq
	}
	for k := range n {
		apk, aqk := a.v[p*n+k], a.v[q*n+k]
		a.v[p*n+k], a.v[q*n+k] = c*apk-s*aqk, s*apk+c*aqk
	}
	for k := range n {
		vkp, vkq := v.v[k*n+p], v.v[k*n+q]
		v.v[k*n+p], v.v[k*n+q] = c*vkp-s*vkq, s*vkp+c*vkq
	}
}

func sortDesc(order []int, vals []float64) {
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && vals[order[j]] > vals[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
}

// randomizedSVD returns the top k right singular vectors of A (as columns
// of an A.cols×k matrix: one row per term) and the singular values, by the
// randomized range finder of Halko, Martinsson and Tropp (2011) with
// oversampling and power iterations. It is deterministic for a seed.
func randomizedSVD(a *csr, k, oversample, powerIters int, seed uint64, progress func(step, steps int)) (*dense, []float64) {
	l := min(k+oversample, a.cols, a.rows)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	omega := newDense(a.rows, l) // sample the row space of A: Aᵀ·Ω spans the term space
	for i := range omega.v {
		omega.v[i] = rng.NormFloat64()
	}
	steps := 2 + 2*powerIters
	y := a.tmulDense(omega) // cols × l
	orthonormalize(y)
	progress(1, steps)
	for it := 0; it < powerIters; it++ {
		z := a.mulDense(y) // rows × l
		orthonormalize(z)
		progress(2+2*it, steps)
		y = a.tmulDense(z)
		orthonormalize(y)
		progress(3+2*it, steps)
	}
	// B = A·Q (rows × l); the right singular vectors of A are Q·eig(BᵀB).
	b := a.mulDense(y)
	bt := b.transpose()
	g := newDense(l, l)
	parallel(l, func(from, to int) {
		for i := from; i < to; i++ {
			bi := bt.row(i)
			for j := range l {
				var s float64
				for r, x := range bt.row(j) {
					s += bi[r] * x
				}
				g.v[i*l+j] = s
			}
		}
	})
	vals, vecs := symEigen(g)
	k = min(k, l)
	terms := newDense(a.cols, k)
	parallel(a.cols, func(from, to int) {
		for t := from; t < to; t++ {
			yr, o := y.row(t), terms.row(t)
			for j := range k {
				var s float64
				for i, yv := range yr {
					s += yv * vecs.v[i*l+j]
				}
				o[j] = s
			}
		}
	})
	sv := make([]float64, k)
	for j := range k {
		sv[j] = math.Sqrt(max(vals[j], 0))
	}
	progress(steps, steps)
	return terms, sv
}
