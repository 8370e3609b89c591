//! The content-stream interpreter: runs a page's operators with a small
//! graphics and text state machine and records every shown glyph.
//!
//! Handles `q Q cm`, `BT ET`, `Tf Tc Tw Tz TL Ts Tr`, `Td TD Tm T*`,
//! `Tj TJ ' "`, and `Do` (Form XObjects recursively, with their matrix and the
//! inherited graphics and text state; images are counted). Each [`Glyph`]
//! knows the stream, operator index, TJ element index and byte range it came
//! from, so a redaction step can rewrite exactly those bytes, and its position
//! and box in page space (default user space).

use super::fonts::{Code, Font};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Instant;

/// An affine matrix `[a b c d e f]` (PDF row-vector convention).
pub type Matrix = [f32; 6];

/// The identity matrix.
pub const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m1 × m2`: apply `m1` first, then `m2`.
pub fn mul(m1: &Matrix, m2: &Matrix) -> Matrix {
    [
        m1[0] * m2[0] + m1[1] * m2[2],
        m1[0] * m2[1] + m1[1] * m2[3],
        m1[2] * m2[0] + m1[3] * m2[2],
        m1[2] * m2[1] + m1[3] * m2[3],
        m1[4] * m2[0] + m1[5] * m2[2] + m2[4],
        m1[4] * m2[1] + m1[5] * m2[3] + m2[5],
    ]
}

/// The point `(x, y)` transformed by `m`.
pub fn apply(m: &Matrix, x: f32, y: f32) -> [f32; 2] {
    [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]]
}

/// Which content stream an operator lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StreamRef {
    /// One of the page's `/Contents` streams (its object id).
    Page(ObjectId),
    /// A Form XObject's stream (shared by every page that draws it).
    Form(ObjectId),
}

/// One shown glyph (character code) and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Glyph {
    /// Page number, from 1.
    pub page: u32,
    /// The stream holding the showing operator.
    pub stream: StreamRef,
    /// Index of the operator in that stream (0-based, in decode order).
    pub op: u32,
    /// Index of the string in a `TJ` array (0 for `Tj`, `'` and `"`).
    pub elem: u32,
    /// Byte range of the character code inside that string.
    pub bytes: (u32, u32),
    /// Index into [`PageGlyphs::fonts`].
    pub font: u16,
    /// Byte range of this glyph's Unicode text in [`PageGlyphs::text`]; empty
    /// when the font gives no Unicode for the code.
    pub text: (u32, u32),
    /// Glyph box in page space: `[x0, y0, x1, y1]`.
    pub bbox: [f32; 4],
    /// Baseline start and end (after the advance) in page space.
    pub origin: [f32; 2],
    /// Baseline end (after the advance) in page space.
    pub end: [f32; 2],
    /// Font size in page space (the height of one em).
    pub size: f32,
    /// Advance in text space, thousandths of an em (TJ units):
    /// `w0·1000 + (Tc + Tw)·1000 / Tfs`. A rewrite that removes the glyph puts
    /// `-adv` in its place to keep the rest of the line where it was.
    pub adv: f32,
    /// Text rendering mode (`Tr`); 3 is invisible (an OCR layer).
    pub render: u8,
}

/// The glyphs of one page, in content order.
#[derive(Clone, Debug, Default)]
pub struct PageGlyphs {
    /// 1-based page number.
    pub page: u32,
    /// The page's glyphs, in content order.
    pub glyphs: Vec<Glyph>,
    /// Unicode text of all glyphs, concatenated (see [`Glyph::text`]).
    pub text: String,
    /// Font names (subset prefix removed), indexed by [`Glyph::font`].
    pub fonts: Vec<String>,
    /// Images drawn on the page (image XObjects and inline images).
    pub images: u32,
    /// Glyphs whose font gives no Unicode text.
    pub undecoded: u32,
    /// Operators run for this page (forms included).
    pub ops: u64,
    /// Problems met (a stream that could not be decoded, a limit reached).
    /// Short, fixed phrases: never document content.
    pub problems: Vec<String>,
}

impl PageGlyphs {
    /// The Unicode text of one glyph.
    pub fn glyph_text(&self, g: &Glyph) -> &str {
        self.text
            .get(g.text.0 as usize..g.text.1 as usize)
            .unwrap_or("")
    }
}

/// Work limits for one document.
#[derive(Clone, Debug)]
pub struct InterpLimits {
    /// Largest decompressed stream (content, form, CMap).
    pub max_stream: usize,
    /// Most operators run for the whole document.
    pub max_ops: u64,
    /// Deepest Form XObject nesting.
    pub max_form_depth: u32,
    /// When to stop running operators (the file's time budget); checked
    /// every [`DEADLINE_EVERY`] operators. `None`: no deadline.
    pub deadline: Option<Instant>,
}

/// How many operators run between two looks at the clock.
pub const DEADLINE_EVERY: u64 = 4096;

impl Default for InterpLimits {
    fn default() -> Self {
        InterpLimits {
            max_stream: 64 << 20,
            max_ops: 20_000_000,
            max_form_depth: 12,
            deadline: None,
        }
    }
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<(Rc<Font>, u16)>,
    size: f32,
    tc: f32,
    tw: f32,
    th: f32,
    tl: f32,
    rise: f32,
    render: u8,
}

impl Default for GState {
    fn default() -> Self {
        GState {
            ctm: IDENTITY,
            font: None,
            size: 0.0,
            tc: 0.0,
            tw: 0.0,
            th: 1.0,
            tl: 0.0,
            rise: 0.0,
            render: 0,
        }
    }
}

/// Resource dictionaries to look names up in, innermost first.
#[derive(Clone, Default)]
struct Resources<'d> {
    dicts: Vec<&'d Dictionary>,
}

impl<'d> Resources<'d> {
    fn lookup(&self, doc: &'d Document, category: &[u8], name: &[u8]) -> Option<&'d Object> {
        for d in &self.dicts {
            let Ok(cat) = d.get(category) else { continue };
            let cat = match cat {
                Object::Reference(id) => doc.get_object(*id).ok(),
                o => Some(o),
            };
            if let Some(Ok(cat)) = cat.map(|c| c.as_dict()) {
                if let Ok(o) = cat.get(name) {
                    return Some(o);
                }
            }
        }
        None
    }
}

/// Runs content streams of one document. Font objects are parsed once and
/// shared by all pages.
pub struct Interpreter<'d> {
    doc: &'d Document,
    /// The bounds on work per document (operators, time).
    pub limits: InterpLimits,
    fonts: HashMap<ObjectId, Rc<Font>>,
    /// Operators run so far in this document.
    pub ops_total: u64,
    /// Set when `limits.deadline` passed: no more operators are run.
    pub timed_out: bool,
    fallback: Rc<Font>,
}

fn num(o: &Object) -> f32 {
    match o {
        Object::Integer(i) => *i as f32,
        Object::Real(r) if r.is_finite() => *r,
        _ => 0.0,
    }
}

fn nums<const N: usize>(ops: &[Object]) -> Option<[f32; N]> {
    if ops.len() < N {
        return None;
    }
    let mut out = [0.0; N];
    for (i, o) in ops[ops.len() - N..].iter().enumerate() {
        out[i] = match o {
            Object::Integer(v) => *v as f32,
            Object::Real(v) if v.is_finite() => *v,
            _ => return None,
        };
    }
    Some(out)
}

struct Run<'a, 'd> {
    out: &'a mut PageGlyphs,
    font_names: HashMap<String, u16>,
    gs: GState,
    stack: Vec<GState>,
    tm: Matrix,
    tlm: Matrix,
    forms: Vec<ObjectId>,
    _doc: std::marker::PhantomData<&'d ()>,
}

impl<'d> Interpreter<'d> {
    /// An interpreter for `doc` with default limits.
    pub fn new(doc: &'d Document) -> Self {
        Interpreter {
            doc,
            limits: InterpLimits::default(),
            fonts: HashMap::new(),
            ops_total: 0,
            timed_out: false,
            fallback: Rc::new(Font::fallback()),
        }
    }

    /// The glyphs of page `page` (number from 1) with object id `page_id`.
    pub fn page(&mut self, page: u32, page_id: ObjectId) -> PageGlyphs {
        let doc = self.doc;
        let mut out = PageGlyphs {
            page,
            ..PageGlyphs::default()
        };
        let mut res = Resources::default();
        if let Ok((inline, ids)) = doc.get_page_resources(page_id) {
            if let Some(d) = inline {
                res.dicts.push(d);
            }
            for id in ids {
                if let Ok(d) = doc.get_dictionary(id) {
                    res.dicts.push(d);
                }
            }
        }
        let mut run = Run {
            out: &mut out,
            font_names: HashMap::new(),
            gs: GState::default(),
            stack: Vec::new(),
            tm: IDENTITY,
            tlm: IDENTITY,
            forms: Vec::new(),
            _doc: std::marker::PhantomData,
        };
        for id in doc.get_page_contents(page_id) {
            if self.timed_out {
                break;
            }
            let data = match doc
                .get_object(id)
                .and_then(|o| o.as_stream())
                .and_then(|s| s.get_plain_content_with_limit(self.limits.max_stream))
            {
                Ok(d) => d,
                Err(_) => {
                    run.out
                        .problems
                        .push("a content stream could not be decoded".into());
                    continue;
                }
            };
            // Each stream of /Contents continues the state of the previous one.
            self.run_stream(&mut run, &data, StreamRef::Page(id), &res, 0);
        }
        self.annotation_appearances(&mut run, page_id, &res);
        out
    }

    fn font(&mut self, res: &Resources<'d>, name: &[u8]) -> Option<Rc<Font>> {
        let doc = self.doc;
        let obj = res.lookup(doc, b"Font", name)?;
        match obj {
            Object::Reference(id) => {
                if let Some(f) = self.fonts.get(id) {
                    return Some(f.clone());
                }
                let dict = doc.get_dictionary(*id).ok()?;
                let f = Rc::new(Font::load(doc, dict, self.limits.max_stream));
                self.fonts.insert(*id, f.clone());
                Some(f)
            }
            Object::Dictionary(d) => Some(Rc::new(Font::load(doc, d, self.limits.max_stream))),
            _ => None,
        }
    }

    fn run_stream(
        &mut self,
        run: &mut Run<'_, 'd>,
        data: &[u8],
        sref: StreamRef,
        res: &Resources<'d>,
        depth: u32,
    ) {
        for (idx, op) in Content::decode_iter(data).enumerate() {
            let op = match op {
                Ok(op) => op,
                Err(_) => {
                    run.out
                        .problems
                        .push("a content stream could not be fully parsed".into());
                    break;
                }
            };
            self.ops_total += 1;
            run.out.ops += 1;
            if self.ops_total.is_multiple_of(DEADLINE_EVERY)
                && self.limits.deadline.is_some_and(|d| Instant::now() >= d)
            {
                self.timed_out = true;
            }
            if self.timed_out {
                return;
            }
            if self.ops_total > self.limits.max_ops {
                run.out
                    .problems
                    .push("operator limit reached; the rest of the document was not read".into());
                return;
            }
            let o = &op.operands;
            match op.operator.as_str() {
                "q" => {
                    if run.stack.len() < 1000 {
                        run.stack.push(run.gs.clone());
                    }
                }
                "Q" => {
                    if let Some(g) = run.stack.pop() {
                        run.gs = g;
                    }
                }
                "cm" => {
                    if let Some(m) = nums::<6>(o) {
                        run.gs.ctm = mul(&m, &run.gs.ctm);
                    }
                }
                "BT" => {
                    run.tm = IDENTITY;
                    run.tlm = IDENTITY;
                }
                "Tf" => {
                    if o.len() >= 2 {
                        run.gs.size = num(&o[1]);
                        let font = o[0]
                            .as_name()
                            .ok()
                            .and_then(|n| self.font(res, n))
                            .unwrap_or_else(|| self.fallback.clone());
                        let idx = font_index(run, &font.name);
                        run.gs.font = Some((font, idx));
                    }
                }
                "Tc" => run.gs.tc = o.first().map(num).unwrap_or(0.0),
                "Tw" => run.gs.tw = o.first().map(num).unwrap_or(0.0),
                "Tz" => run.gs.th = o.first().map(num).unwrap_or(100.0) / 100.0,
                "TL" => run.gs.tl = o.first().map(num).unwrap_or(0.0),
                "Ts" => run.gs.rise = o.first().map(num).unwrap_or(0.0),
                "Tr" => run.gs.render = o.first().map(num).unwrap_or(0.0).clamp(0.0, 7.0) as u8,
                "Td" => {
                    if let Some([x, y]) = nums::<2>(o) {
                        move_line(run, x, y);
                    }
                }
                "TD" => {
                    if let Some([x, y]) = nums::<2>(o) {
                        run.gs.tl = -y;
                        move_line(run, x, y);
                    }
                }
                "Tm" => {
                    if let Some(m) = nums::<6>(o) {
                        run.tm = m;
                        run.tlm = m;
                    }
                }
                "T*" => {
                    let tl = run.gs.tl;
                    move_line(run, 0.0, -tl);
                }
                "Tj" => {
                    if let Some(Ok(s)) = o.first().map(|s| s.as_str()) {
                        show(run, s, sref, idx as u32, 0);
                    }
                }
                "'" => {
                    let tl = run.gs.tl;
                    move_line(run, 0.0, -tl);
                    if let Some(Ok(s)) = o.first().map(|s| s.as_str()) {
                        show(run, s, sref, idx as u32, 0);
                    }
                }
                "\"" => {
                    if o.len() >= 3 {
                        run.gs.tw = num(&o[0]);
                        run.gs.tc = num(&o[1]);
                        let tl = run.gs.tl;
                        move_line(run, 0.0, -tl);
                        if let Ok(s) = o[2].as_str() {
                            show(run, s, sref, idx as u32, 0);
                        }
                    }
                }
                "TJ" => {
                    if let Some(Ok(arr)) = o.first().map(|a| a.as_array()) {
                        for (e, item) in arr.iter().enumerate() {
                            match item {
                                Object::String(s, _) => show(run, s, sref, idx as u32, e as u32),
                                Object::Integer(_) | Object::Real(_) => {
                                    let tx = -num(item) / 1000.0 * run.gs.size * run.gs.th;
                                    run.tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &run.tm);
                                }
                                _ => {}
                            }
                        }
                    }
                }
                "BI" | "EI" => {
                    if op.operator == "BI" {
                        run.out.images += 1;
                    }
                }
                "Do" => {
                    if let Some(Ok(name)) = o.first().map(|n| n.as_name()) {
                        self.do_xobject(run, res, name, depth);
                    }
                }
                _ => {
                    // Inline images come out of lopdf as an operation whose
                    // operand is the image stream.
                    if o.iter().any(|x| matches!(x, Object::Stream(_))) {
                        run.out.images += 1;
                    }
                }
            }
        }
    }

    fn do_xobject(&mut self, run: &mut Run<'_, 'd>, res: &Resources<'d>, name: &[u8], depth: u32) {
        let doc = self.doc;
        let Some(obj) = res.lookup(doc, b"XObject", name) else {
            return;
        };
        let Object::Reference(id) = obj else { return };
        let Ok(stream) = doc.get_object(*id).and_then(|o| o.as_stream()) else {
            return;
        };
        match stream.dict.get(b"Subtype").and_then(|s| s.as_name()) {
            Ok(b"Image") => run.out.images += 1,
            Ok(b"Form") => {
                let m = form_matrix(stream);
                self.run_form(run, *id, stream, res, depth, &m);
            }
            _ => {}
        }
    }

    /// Run a form stream with `matrix` applied to the current CTM; the
    /// graphics state is restored afterwards.
    fn run_form(
        &mut self,
        run: &mut Run<'_, 'd>,
        id: ObjectId,
        stream: &'d lopdf::Stream,
        res: &Resources<'d>,
        depth: u32,
        matrix: &Matrix,
    ) {
        let doc = self.doc;
        if depth >= self.limits.max_form_depth || run.forms.contains(&id) {
            run.out
                .problems
                .push("form XObjects nested too deep".into());
            return;
        }
        let Ok(data) = stream.get_plain_content_with_limit(self.limits.max_stream) else {
            run.out
                .problems
                .push("a form XObject could not be decoded".into());
            return;
        };
        let mut inner = Resources::default();
        if let Ok(r) = stream.dict.get(b"Resources") {
            let r = match r {
                Object::Reference(rid) => doc.get_object(*rid).ok(),
                o => Some(o),
            };
            if let Some(Ok(d)) = r.map(|r| r.as_dict()) {
                inner.dicts.push(d);
            }
        }
        // Forms without /Resources use their parent's (PDF 1.1 style).
        inner.dicts.extend(res.dicts.iter().copied());
        let saved = (run.gs.clone(), run.tm, run.tlm, run.stack.len());
        run.gs.ctm = mul(matrix, &run.gs.ctm);
        run.forms.push(id);
        self.run_stream(run, &data, StreamRef::Form(id), &inner, depth + 1);
        run.forms.pop();
        run.stack.truncate(saved.3);
        run.gs = saved.0;
        run.tm = saved.1;
        run.tlm = saved.2;
    }

    /// Run the normal appearance streams of the page's visible annotations
    /// (form field widgets, stamps, free text, signatures): what a viewer
    /// draws on the page.
    fn annotation_appearances(
        &mut self,
        run: &mut Run<'_, 'd>,
        page_id: ObjectId,
        res: &Resources<'d>,
    ) {
        let doc = self.doc;
        let Ok(annots) = doc.get_page_annotations(page_id) else {
            return;
        };
        for a in annots.into_iter().take(10_000) {
            let flags = a.get(b"F").ok().map(num).unwrap_or(0.0) as i64;
            if flags & (2 | 32) != 0 {
                continue; // Hidden or NoView
            }
            let Some(n) = a
                .get(b"AP")
                .ok()
                .and_then(|o| deref(doc, o).as_dict().ok())
                .and_then(|ap| ap.get(b"N").ok())
            else {
                continue;
            };
            let (id, obj) = match n {
                Object::Reference(id) => (*id, doc.get_object(*id).ok()),
                _ => continue,
            };
            let (id, stream) = match obj {
                Some(Object::Stream(s)) => (id, s),
                Some(Object::Dictionary(states)) => {
                    // On/off appearances: the one named by /AS.
                    let Some(Object::Reference(sid)) = a
                        .get(b"AS")
                        .and_then(|s| s.as_name())
                        .ok()
                        .and_then(|name| states.get(name).ok())
                    else {
                        continue;
                    };
                    match doc.get_object(*sid).and_then(|o| o.as_stream()) {
                        Ok(s) => (*sid, s),
                        Err(_) => continue,
                    }
                }
                _ => continue,
            };
            let Some(rect) = a
                .get(b"Rect")
                .and_then(|r| r.as_array())
                .ok()
                .and_then(|r| nums::<4>(r))
            else {
                continue;
            };
            let m = form_matrix(stream);
            let bbox = stream
                .dict
                .get(b"BBox")
                .and_then(|b| b.as_array())
                .ok()
                .and_then(|b| nums::<4>(b))
                .unwrap_or(rect);
            // Map the transformed BBox onto Rect (PDF 32000 12.5.5).
            let pts = [
                apply(&m, bbox[0], bbox[1]),
                apply(&m, bbox[2], bbox[1]),
                apply(&m, bbox[0], bbox[3]),
                apply(&m, bbox[2], bbox[3]),
            ];
            let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
            for [x, y] in pts {
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x);
                y1 = y1.max(y);
            }
            let (rx0, rx1) = (rect[0].min(rect[2]), rect[0].max(rect[2]));
            let (ry0, ry1) = (rect[1].min(rect[3]), rect[1].max(rect[3]));
            let sx = if x1 - x0 > 1e-3 {
                (rx1 - rx0) / (x1 - x0)
            } else {
                1.0
            };
            let sy = if y1 - y0 > 1e-3 {
                (ry1 - ry0) / (y1 - y0)
            } else {
                1.0
            };
            let fit = [sx, 0.0, 0.0, sy, rx0 - sx * x0, ry0 - sy * y0];
            run.gs = GState::default();
            run.stack.clear();
            self.run_form(run, id, stream, res, 0, &mul(&m, &fit));
        }
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

fn font_index(run: &mut Run<'_, '_>, name: &str) -> u16 {
    if let Some(i) = run.font_names.get(name) {
        return *i;
    }
    let i = run.out.fonts.len().min(u16::MAX as usize) as u16;
    run.out.fonts.push(name.to_string());
    run.font_names.insert(name.to_string(), i);
    i
}

fn move_line(run: &mut Run<'_, '_>, x: f32, y: f32) {
    run.tlm = mul(&[1.0, 0.0, 0.0, 1.0, x, y], &run.tlm);
    run.tm = run.tlm;
}

/// Show a string: one glyph per character code, advancing the text matrix.
fn show(run: &mut Run<'_, '_>, s: &[u8], sref: StreamRef, op: u32, elem: u32) {
    let Some((font, font_idx)) = run.gs.font.clone() else {
        // Text shown before any Tf: a broken file. Nothing sensible to place.
        return;
    };
    let (fs, th, tc, tw_all, ctm) = (run.gs.size, run.gs.th, run.gs.tc, run.gs.tw, run.gs.ctm);
    let base = [fs * th, 0.0, 0.0, fs, 0.0, run.gs.rise];
    for code in font.codes(s) {
        let w0 = font.width(code);
        let trm = mul(&base, &mul(&run.tm, &ctm));
        let tw = if font.is_word_space(code) {
            tw_all
        } else {
            0.0
        };
        let tx = (w0 * fs + tc + tw) * th;
        let adv_unit = if fs.abs() > 1e-6 { tx / (fs * th) } else { w0 };
        push_glyph(
            run, &font, font_idx, code, &trm, w0, adv_unit, sref, op, elem,
        );
        run.tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &run.tm);
    }
}

#[allow(clippy::too_many_arguments)]
fn push_glyph(
    run: &mut Run<'_, '_>,
    font: &Font,
    font_idx: u16,
    code: Code,
    trm: &Matrix,
    w0: f32,
    adv_unit: f32,
    sref: StreamRef,
    op: u32,
    elem: u32,
) {
    let out = &mut *run.out;
    let start = out.text.len();
    if !font.push_unicode(code, &mut out.text) {
        out.undecoded += 1;
    }
    let end = out.text.len();
    let corners = [
        apply(trm, 0.0, font.descent),
        apply(trm, w0, font.descent),
        apply(trm, 0.0, font.ascent),
        apply(trm, w0, font.ascent),
    ];
    let mut bbox = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    for [x, y] in corners {
        bbox[0] = bbox[0].min(x);
        bbox[1] = bbox[1].min(y);
        bbox[2] = bbox[2].max(x);
        bbox[3] = bbox[3].max(y);
    }
    // Height of one em in page space.
    let size = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
    out.glyphs.push(Glyph {
        page: out.page,
        stream: sref,
        op,
        elem,
        bytes: (code.start as u32, code.start as u32 + u32::from(code.len)),
        font: font_idx,
        text: (start as u32, end as u32),
        bbox,
        origin: apply(trm, 0.0, 0.0),
        end: apply(trm, adv_unit, 0.0),
        size,
        adv: adv_unit * 1000.0,
        render: run.gs.render,
    });
}

/// The `/Matrix` of a Form XObject (identity when missing or malformed).
fn form_matrix(stream: &lopdf::Stream) -> Matrix {
    stream
        .dict
        .get(b"Matrix")
        .and_then(|m| m.as_array())
        .ok()
        .and_then(|m| nums::<6>(m))
        .unwrap_or(IDENTITY)
}
