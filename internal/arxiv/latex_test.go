package arxiv

import "testing"

func TestDecodeLaTeX(t *testing.T) {
	tests := []struct{ in, want string }{
		{`C. Bal\'azs`, "C. Balázs"},
		{`P\'eter E. Frenkel`, "Péter E. Frenkel"},
		{"R. Tom\\`as", "R. Tomàs"},
		{`Mikkel {\O}bro`, "Mikkel Øbro"},
		{`Rastislav \v{S}r\'amek`, "Rastislav Šrámek"},
		{`Tom\'a\v{s} Vina\v{r}`, "Tomáš Vinař"},
		{`Franz G\"ahler`, "Franz Gähler"},
		{`Abuzer Yakary{\i}lmaz`, "Abuzer Yakaryılmaz"},
		{`Sebasti\'an Gon\c{c}alves`, "Sebastián Gonçalves"},
		{`Pedro Larra\~naga`, "Pedro Larrañaga"},
		{`Anders S{\o}gaard`, "Anders Søgaard"},
		{`M{\aa}rten Gulliksson`, "Mårten Gulliksson"},
		{`Bo\.zena Wo\'zna`, "Bożena Woźna"},
		{`R\^anik Guidolini`, "Rânik Guidolini"},
		{`Mar\'{\i}a P\'ia`, "María Pía"},
		{`{\"o}`, "ö"},
		{`\"{o}`, "ö"},
		{`{\'e}`, "é"},
		{`\ss`, "ß"},
		{`Gro\ss mann`, "Großmann"},
		{`\l{}ukasz \L{}ódź`, "łukasz Łódź"},
		{`\aa ngstr\"om`, "ångström"},
		{`\H{o}\k{a}\r{u}`, "őąů"},
		{`\v s`, "š"},
		{`Queen Mary \& Westfield`, "Queen Mary & Westfield"},
		{"``Kurchatov Institute''", "“Kurchatov Institute”"},
		{`O'Brien`, "O'Brien"},
		{`{\it Collab}`, "Collab"},
		{`plain ASCII`, "plain ASCII"},
		{`trailing \`, "trailing "},
		{`unclosed \'{e`, "unclosed é"},
		{`A.~Smith`, "A. Smith"},
	}
	for _, tt := range tests {
		if got := DecodeLaTeX(tt.in); got != tt.want {
			t.Errorf("DecodeLaTeX(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}
