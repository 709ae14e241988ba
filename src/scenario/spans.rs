//! Where each value sits in a RON file, so semantic errors can name a line and column.
//!
//! `ron` reports positions for syntax errors only. After a file has parsed, this
//! module scans the same text once more and records the byte range of every
//! value under its path (`scenes[3].choices[1].goto`). Validation then reports
//! a problem by path and gets an exact place in the file. The scanner never
//! fails: on anything it does not understand it stops and keeps what it has.

use std::ops::Range;

/// One step in a path: a struct field, a map key or a list/tuple index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// A named field or map key.
    Field(String),
    /// A position in a list or tuple.
    Index(usize),
}

/// A path to a value, built with [`Path::f`] and [`Path::i`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Path(pub Vec<Seg>);

impl Path {
    /// The whole file.
    pub fn root() -> Self {
        Path(Vec::new())
    }

    /// This path, then a field.
    pub fn f(&self, name: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Field(name.to_string()));
        p
    }

    /// This path, then an index.
    pub fn i(&self, index: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(index));
        p
    }
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (n, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Field(name) if n == 0 => write!(f, "{name}")?,
                Seg::Field(name) => write!(f, ".{name}")?,
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

#[derive(Debug)]
struct Node {
    span: Range<usize>,
    children: Vec<(Seg, usize)>,
}

/// The byte ranges of every value in a RON text, by path.
#[derive(Debug)]
pub struct SpanIndex {
    nodes: Vec<Node>,
}

impl SpanIndex {
    /// Scans `text`. Never fails; a text it cannot follow gives a partial index.
    pub fn build(text: &str) -> Self {
        let mut scanner = Scanner { s: text.as_bytes(), pos: 0, nodes: Vec::new(), depth: 0 };
        scanner.skip_trivia();
        scanner.value();
        SpanIndex { nodes: scanner.nodes }
    }

    /// The range of the value at `path`, or of its nearest ancestor the scan found.
    pub fn find(&self, path: &Path) -> Option<Range<usize>> {
        // The root value is the first node pushed, at index 0.
        let mut node = self.nodes.first()?;
        for seg in &path.0 {
            // Newtype wrappers such as `Some(x)` add a level with a single
            // index child; look through them when a field is wanted.
            let mut next = node.children.iter().find(|(s, _)| s == seg).map(|(_, n)| *n);
            if next.is_none()
                && let (Seg::Field(_), [(Seg::Index(0), only)]) = (seg, node.children.as_slice())
            {
                let inner = &self.nodes[*only];
                next = inner.children.iter().find(|(s, _)| s == seg).map(|(_, n)| *n);
            }
            match next {
                Some(n) => node = &self.nodes[n],
                None => break,
            }
        }
        Some(node.span.clone())
    }
}

struct Scanner<'a> {
    s: &'a [u8],
    pos: usize,
    nodes: Vec<Node>,
    depth: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_trivia(&mut self) {
        loop {
            match (self.peek(), self.s.get(self.pos + 1).copied()) {
                (Some(c), _) if c.is_ascii_whitespace() => self.pos += 1,
                (Some(b'/'), Some(b'/')) => {
                    while let Some(c) = self.peek() {
                        self.pos += 1;
                        if c == b'\n' {
                            break;
                        }
                    }
                }
                (Some(b'/'), Some(b'*')) => {
                    self.pos += 2;
                    let mut level = 1;
                    while level > 0 && self.pos < self.s.len() {
                        if self.s[self.pos..].starts_with(b"/*") {
                            level += 1;
                            self.pos += 2;
                        } else if self.s[self.pos..].starts_with(b"*/") {
                            level -= 1;
                            self.pos += 2;
                        } else {
                            self.pos += 1;
                        }
                    }
                }
                // Inner attributes such as `#![enable(implicit_some)]`.
                (Some(b'#'), Some(b'!')) => {
                    while let Some(c) = self.peek() {
                        self.pos += 1;
                        if c == b']' {
                            break;
                        }
                    }
                }
                _ => return,
            }
        }
    }

    /// Scans one value and returns its node index.
    fn value(&mut self) -> Option<usize> {
        // Deep nesting cannot overflow the stack: stop following it.
        if self.depth > 200 {
            return None;
        }
        self.depth += 1;
        let result = self.value_inner();
        self.depth -= 1;
        result
    }

    fn value_inner(&mut self) -> Option<usize> {
        let start = self.pos;
        let id = self.nodes.len();
        self.nodes.push(Node { span: start..start, children: Vec::new() });
        match self.peek()? {
            b'"' => self.string()?,
            b'r' if matches!(self.s.get(self.pos + 1), Some(b'"') | Some(b'#')) => self.raw_string()?,
            b'b' if self.s.get(self.pos + 1) == Some(&b'"') => {
                self.pos += 1;
                self.string()?;
            }
            b'\'' => {
                self.pos += 1;
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    if c == b'\\' {
                        self.pos += 1;
                    } else if c == b'\'' {
                        break;
                    }
                }
            }
            b'(' => self.group(id, b')')?,
            b'[' => self.group(id, b']')?,
            b'{' => self.map(id)?,
            c if c.is_ascii_alphabetic() || c == b'_' => {
                self.ident();
                self.skip_trivia();
                if self.peek() == Some(b'(') {
                    self.group(id, b')')?;
                }
            }
            _ => {
                // Numbers and anything else up to a delimiter.
                while let Some(c) = self.peek() {
                    if matches!(c, b',' | b')' | b']' | b'}') || c.is_ascii_whitespace() {
                        break;
                    }
                    self.pos += 1;
                }
            }
        }
        self.nodes[id].span = start..self.pos;
        Some(id)
    }

    fn ident(&mut self) -> Range<usize> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == b'_' {
                self.pos += 1;
            } else {
                break;
            }
        }
        start..self.pos
    }

    fn string(&mut self) -> Option<()> {
        self.pos += 1;
        loop {
            let c = self.peek()?;
            self.pos += 1;
            match c {
                b'\\' => self.pos += 1,
                b'"' => return Some(()),
                _ => {}
            }
        }
    }

    fn raw_string(&mut self) -> Option<()> {
        self.pos += 1;
        let mut hashes = 0;
        while self.peek() == Some(b'#') {
            hashes += 1;
            self.pos += 1;
        }
        if self.peek() != Some(b'"') {
            return None;
        }
        self.pos += 1;
        loop {
            if self.peek()? == b'"' && self.s[self.pos + 1..].iter().take_while(|&&c| c == b'#').count() >= hashes {
                self.pos += 1 + hashes;
                return Some(());
            }
            self.pos += 1;
        }
    }

    /// `( ... )` or `[ ... ]`: fields `name: value` or positional values.
    fn group(&mut self, id: usize, close: u8) -> Option<()> {
        self.pos += 1;
        let mut index = 0;
        loop {
            self.skip_trivia();
            match self.peek()? {
                c if c == close => {
                    self.pos += 1;
                    return Some(());
                }
                b',' => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            // A field name is an identifier followed by a single ':'.
            let save = self.pos;
            let mut key = Seg::Index(index);
            if close == b')' && self.peek().is_some_and(|c| c.is_ascii_alphabetic() || c == b'_') {
                let name = self.ident();
                self.skip_trivia();
                if self.peek() == Some(b':') && self.s.get(self.pos + 1) != Some(&b':') {
                    self.pos += 1;
                    self.skip_trivia();
                    key = Seg::Field(String::from_utf8_lossy(&self.s[name]).into_owned());
                } else {
                    self.pos = save;
                }
            }
            let child = self.value()?;
            self.nodes[id].children.push((key.clone(), child));
            if matches!(key, Seg::Index(_)) {
                index += 1;
            }
        }
    }

    /// `{ key: value, ... }`; string keys become fields.
    fn map(&mut self, id: usize) -> Option<()> {
        self.pos += 1;
        let mut index = 0;
        loop {
            self.skip_trivia();
            match self.peek()? {
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                b',' => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            let key_node = self.value()?;
            let key_span = self.nodes[key_node].span.clone();
            let key_text = String::from_utf8_lossy(&self.s[key_span]).trim_matches('"').to_string();
            self.skip_trivia();
            if self.peek() == Some(b':') {
                self.pos += 1;
            }
            self.skip_trivia();
            let child = self.value()?;
            self.nodes[id].children.push((Seg::Field(key_text), child));
            self.nodes[id].children.push((Seg::Index(index), child));
            index += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_at<'a>(src: &'a str, idx: &SpanIndex, path: &Path) -> &'a str {
        &src[idx.find(path).unwrap()]
    }

    #[test]
    fn finds_fields_indices_and_variants() {
        let src = r##"// a comment
#![enable(implicit_some)]
Scenario(
    format: 1,
    scenes: [
        (id: "a", choices: [ (id: "x", effects: [Learn("f1"), Check("p", "police")]) ]),
        /* block /* nested */ comment */
        (id: "b", text: r#"raw "quoted" text"#, goto: Some("c")),
    ],
    pools: { "mothers": ["Ann", "Bea"] },
)"##;
        let idx = SpanIndex::build(src);
        let root = Path::root();
        assert_eq!(text_at(src, &idx, &root.f("format")), "1");
        assert_eq!(text_at(src, &idx, &root.f("scenes").i(1).f("id")), "\"b\"");
        assert_eq!(
            text_at(src, &idx, &root.f("scenes").i(0).f("choices").i(0).f("effects").i(1)),
            "Check(\"p\", \"police\")"
        );
        assert_eq!(text_at(src, &idx, &root.f("scenes").i(1).f("goto")), "Some(\"c\")");
        assert_eq!(text_at(src, &idx, &root.f("pools").f("mothers").i(1)), "\"Bea\"");
        // A missing tail falls back to the nearest ancestor found.
        assert_eq!(text_at(src, &idx, &root.f("scenes").i(1).f("missing")), text_at(src, &idx, &root.f("scenes").i(1)));
    }

    #[test]
    fn never_panics_on_garbage() {
        for src in ["", "(", "[[[[", "\"unterminated", "r#\"x", "(a: ", "{ \"k\" ", "/* open", "'", "b\""] {
            let idx = SpanIndex::build(src);
            let _ = idx.find(&Path::root().f("a").i(3));
        }
        let deep = "[".repeat(10_000);
        let _ = SpanIndex::build(&deep).find(&Path::root().i(0));
    }
}
