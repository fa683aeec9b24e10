package arxiv

import "strings"

// subjectCategories maps the category names arXiv writes in oai_dc
// dc:subject ("Computer Science - Machine Learning") to category codes
// ("cs.LG"). It is built once from taxonomy and never changed.
var subjectCategories = buildSubjects()

// taxonomy lists arXiv's archives: the archive's name, the prefix of its
// category codes, and "code:name" pairs separated by "|". An archive with no
// subdivisions has a single entry with an empty name.
var taxonomy = []struct{ name, prefix, cats string }{
	{"Computer Science", "cs.", "AI:Artificial Intelligence|AR:Hardware Architecture|CC:Computational Complexity|" +
		"CE:Computational Engineering, Finance, and Science|CG:Computational Geometry|CL:Computation and Language|" +
		"CR:Cryptography and Security|CV:Computer Vision and Pattern Recognition|CY:Computers and Society|DB:Databases|" +
		"DC:Distributed, Parallel, and Cluster Computing|DL:Digital Libraries|DM:Discrete Mathematics|" +
		"DS:Data Structures and Algorithms|ET:Emerging Technologies|FL:Formal Languages and Automata Theory|" +
		"GL:General Literature|GR:Graphics|GT:Computer Science and Game Theory|HC:Human-Computer Interaction|" +
		"IR:Information Retrieval|IT:Information Theory|LG:Machine Learning|LO:Logic in Computer Science|" +
		"MA:Multiagent Systems|MM:Multimedia|MS:Mathematical Software|NA:Numerical Analysis|" +
		"NE:Neural and Evolutionary Computing|NI:Networking and Internet Architecture|OH:Other Computer Science|" +
		"OS:Operating Systems|PF:Performance|PL:Programming Languages|RO:Robotics|SC:Symbolic Computation|SD:Sound|" +
		"SE:Software Engineering|SI:Social and Information Networks|SY:Systems and Control"},
	{"Mathematics", "math.", "AC:Commutative Algebra|AG:Algebraic Geometry|AP:Analysis of PDEs|AT:Algebraic Topology|" +
		"CA:Classical Analysis and ODEs|CO:Combinatorics|CT:Category Theory|CV:Complex Variables|DG:Differential Geometry|" +
		"DS:Dynamical Systems|FA:Functional Analysis|GM:General Mathematics|GN:General Topology|GR:Group Theory|" +
		"GT:Geometric Topology|HO:History and Overview|IT:Information Theory|KT:K-Theory and Homology|LO:Logic|" +
		"MG:Metric Geometry|MP:Mathematical Physics|NA:Numerical Analysis|NT:Number Theory|OA:Operator Algebras|" +
		"OC:Optimization and Control|PR:Probability|QA:Quantum Algebra|RA:Rings and Algebras|RT:Representation Theory|" +
		"SG:Symplectic Geometry|SP:Spectral Theory|ST:Statistics Theory"},
	{"Statistics", "stat.", "AP:Applications|CO:Computation|ME:Methodology|ML:Machine Learning|OT:Other Statistics|TH:Statistics Theory"},
	{"Electrical Engineering and Systems Science", "eess.", "AS:Audio and Speech Processing|IV:Image and Video Processing|" +
		"SP:Signal Processing|SY:Systems and Control"},
	{"Economics", "econ.", "EM:Econometrics|GN:General Economics|TH:Theoretical Economics"},
	{"Quantitative Biology", "q-bio.", "BM:Biomolecules|CB:Cell Behavior|GN:Genomics|MN:Molecular Networks|" +
		"NC:Neurons and Cognition|OT:Other Quantitative Biology|PE:Populations and Evolution|QM:Quantitative Methods|" +
		"SC:Subcellular Processes|TO:Tissues and Organs"},
	{"Quantitative Finance", "q-fin.", "CP:Computational Finance|EC:Economics|GN:General Finance|MF:Mathematical Finance|" +
		"PM:Portfolio Management|PR:Pricing of Securities|RM:Risk Management|ST:Statistical Finance|" +
		"TR:Trading and Market Microstructure"},
	{"Astrophysics", "astro-ph.", "CO:Cosmology and Nongalactic Astrophysics|EP:Earth and Planetary Astrophysics|" +
		"GA:Astrophysics of Galaxies|HE:High Energy Astrophysical Phenomena|IM:Instrumentation and Methods for Astrophysics|" +
		"SR:Solar and Stellar Astrophysics"},
	{"Condensed Matter", "cond-mat.", "dis-nn:Disordered Systems and Neural Networks|mes-hall:Mesoscale and Nanoscale Physics|" +
		"mtrl-sci:Materials Science|other:Other Condensed Matter|quant-gas:Quantum Gases|soft:Soft Condensed Matter|" +
		"stat-mech:Statistical Mechanics|str-el:Strongly Correlated Electrons|supr-con:Superconductivity"},
	{"Nonlinear Sciences", "nlin.", "AO:Adaptation and Self-Organizing Systems|CD:Chaotic Dynamics|" +
		"CG:Cellular Automata and Lattice Gases|PS:Pattern Formation and Solitons|SI:Exactly Solvable and Integrable Systems"},
	{"Physics", "physics.", "acc-ph:Accelerator Physics|ao-ph:Atmospheric and Oceanic Physics|app-ph:Applied Physics|" +
		"atm-clus:Atomic and Molecular Clusters|atom-ph:Atomic Physics|bio-ph:Biological Physics|chem-ph:Chemical Physics|" +
		"class-ph:Classical Physics|comp-ph:Computational Physics|data-an:Data Analysis, Statistics and Probability|" +
		"ed-ph:Physics Education|flu-dyn:Fluid Dynamics|gen-ph:General Physics|geo-ph:Geophysics|" +
		"hist-ph:History and Philosophy of Physics|ins-det:Instrumentation and Detectors|med-ph:Medical Physics|" +
		"optics:Optics|plasm-ph:Plasma Physics|pop-ph:Popular Physics|soc-ph:Physics and Society|space-ph:Space Physics"},
	{"High Energy Physics - Experiment", "hep-ex", ":"},
	{"High Energy Physics - Lattice", "hep-lat", ":"},
	{"High Energy Physics - Phenomenology", "hep-ph", ":"},
	{"High Energy Physics - Theory", "hep-th", ":"},
	{"General Relativity and Quantum Cosmology", "gr-qc", ":"},
	{"Mathematical Physics", "math-ph", ":"},
	{"Nuclear Experiment", "nucl-ex", ":"},
	{"Nuclear Theory", "nucl-th", ":"},
	{"Quantum Physics", "quant-ph", ":"},
}

func buildSubjects() map[string]string {
	m := make(map[string]string, 200)
	for _, a := range taxonomy {
		for _, pair := range strings.Split(a.cats, "|") {
			code, name, _ := strings.Cut(pair, ":")
			if name == "" {
				m[a.name] = a.prefix
				continue
			}
			m[a.name+" - "+name] = a.prefix + code
		}
	}
	return m
}
