package suppliers

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// textIn describes how a text body (CSV or JSON) was decoded to UTF-8.
type textIn struct {
	charset  string      // what the body was read as
	declared string      // the Content-Type's charset, canonical name; "" if none
	bomOver  bool        // a byte-order mark overrode a different declared charset
	auto     *autoReader // set when the body was sniffed (no charset, or utf-8)
}

// openText returns a reader of r's text as UTF-8. The order of authority:
// a byte-order mark (UTF-8, UTF-16LE/BE); else the Content-Type's charset
// parameter (label, a WHATWG label such as "windows-1252" or "latin1");
// else UTF-8, switching to Windows-1252 at the first byte sequence that is
// not UTF-8 (a Danish spreadsheet export). A declared "utf-8" is sniffed
// the same way, since clients often send it by default; a warning says so
// when the body turns out not to be UTF-8.
func openText(r io.Reader, label string) (io.Reader, *textIn, error) {
	in := &textIn{}
	if label != "" {
		enc, name := charset.Lookup(label)
		if enc == nil {
			return nil, nil, fmt.Errorf("suppliers: %w: charset %q", ErrUnsupportedMediaType, label)
		}
		in.declared = name
	}
	br := bufio.NewReaderSize(r, 4096)
	bom, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(bom, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
		in.charset = "utf-8"
		in.bomOver = in.declared != "" && in.declared != "utf-8"
		in.auto = newAutoReader(br, true)
		return in.auto, in, nil
	case bytes.HasPrefix(bom, []byte{0xFF, 0xFE}), bytes.HasPrefix(bom, []byte{0xFE, 0xFF}):
		order, name := unicode.LittleEndian, "utf-16le"
		if bom[0] == 0xFE {
			order, name = unicode.BigEndian, "utf-16be"
		}
		in.charset = name
		in.bomOver = in.declared != "" && !strings.HasPrefix(in.declared, "utf-16")
		dec := unicode.UTF16(order, unicode.ExpectBOM).NewDecoder()
		return transform.NewReader(br, dec), in, nil
	}
	if in.declared != "" && in.declared != "utf-8" {
		enc, name := charset.Lookup(label)
		in.charset = name
		return transform.NewReader(br, enc.NewDecoder()), in, nil
	}
	in.charset = "utf-8"
	in.auto = newAutoReader(br, false)
	return in.auto, in, nil
}

// report adds what decoding found to the problem list and returns the
// charset the body was read as.
func (in *textIn) report(s *list) string {
	if in.bomOver {
		s.warnAt(Position{}, "", "", "", fmt.Sprintf("the Content-Type says charset=%s but the body starts with a %s byte-order mark; it was read as %s", in.declared, in.charset, in.charset))
	}
	a := in.auto
	if a == nil {
		return in.charset
	}
	if a.legacy {
		if in.declared == "utf-8" {
			s.warnAt(Position{Line: a.legacyLine}, "", "", "", "the Content-Type says charset=utf-8 but the body is not UTF-8; it was read as Windows-1252")
		}
		return "windows-1252"
	}
	if a.invalid > 0 {
		s.errorAt(Position{Line: a.invalidLine}, "", "", "", fmt.Sprintf("the body is UTF-8 but has %d byte sequence(s) that are not, the first on this line (mixed encodings?); save the file again as UTF-8", a.invalid))
	}
	return in.charset
}

// autoReader passes UTF-8 through, and decides once, at the first byte
// that is not ASCII, whether the body is UTF-8 or Windows-1252: a body is
// taken as UTF-8 if its first non-ASCII bytes are valid UTF-8, else as
// Windows-1252 from then on (the bytes before were ASCII, the same in
// both). Once UTF-8, invalid sequences become U+FFFD and are counted, so
// that a body mixing encodings is reported, never stored half garbled.
// It keeps a line count to say where. Memory is bounded by the read size.
type autoReader struct {
	r       io.Reader
	decided bool // the first non-ASCII byte has been seen
	legacy  bool // decided: Windows-1252

	line        int // newlines passed so far
	legacyLine  int // line of the first Windows-1252 byte
	invalid     int // invalid UTF-8 sequences once decided UTF-8
	invalidLine int

	in   []byte
	pend []byte // an incomplete UTF-8 sequence carried to the next read
	out  []byte
	off  int
	err  error
}

func newAutoReader(r io.Reader, utf8Known bool) *autoReader {
	return &autoReader{r: r, decided: utf8Known, in: make([]byte, 32*1024)}
}

func (a *autoReader) Read(p []byte) (int, error) {
	for a.off == len(a.out) {
		if a.err != nil {
			return 0, a.err
		}
		a.out, a.off = a.out[:0], 0
		n := copy(a.in, a.pend)
		a.pend = a.pend[:0]
		m, err := a.r.Read(a.in[n:])
		a.err = err
		a.decode(a.in[:n+m], err != nil)
	}
	n := copy(p, a.out[a.off:])
	a.off += n
	return n, nil
}

func (a *autoReader) decode(b []byte, final bool) {
	for len(b) > 0 {
		// ASCII runs go through as they are.
		i := 0
		for i < len(b) && b[i] < utf8.RuneSelf {
			i++
		}
		if i > 0 {
			a.line += bytes.Count(b[:i], []byte{'\n'})
			a.out = append(a.out, b[:i]...)
			b = b[i:]
			continue
		}
		if a.legacy {
			r := charmap.Windows1252.DecodeByte(b[0])
			a.out = utf8.AppendRune(a.out, r)
			b = b[1:]
			continue
		}
		if !final && !utf8.FullRune(b) {
			a.pend = append(a.pend, b...)
			return
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			if !a.decided {
				a.decided, a.legacy, a.legacyLine = true, true, a.line+1
				continue
			}
			if a.invalid == 0 {
				a.invalidLine = a.line + 1
			}
			a.invalid++
			a.out = utf8.AppendRune(a.out, utf8.RuneError)
			b = b[1:]
			continue
		}
		a.decided = true
		a.out = append(a.out, b[:size]...)
		b = b[size:]
	}
}
