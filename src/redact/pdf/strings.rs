//! Text strings outside page content: annotation texts (`/Contents`, `/T`,
//! `/Subj`) and form field values (`/V`) with findings, rewritten with the
//! run's replacement.

use super::{failed, StringFix};
use crate::extract::pdf::{self as reader, PdfPage};
use crate::redact::RedactError;
use lopdf::{Document, Object, ObjectId};
use std::collections::HashSet;

/// The annotation objects of a page; annotations written inline in `/Annots`
/// become objects of their own so they can be edited.
pub(super) fn annotation_ids(doc: &mut Document, page: ObjectId) -> Vec<ObjectId> {
    let annots = doc
        .get_dictionary(page)
        .ok()
        .and_then(|d| d.get(b"Annots").ok())
        .cloned();
    let (holder, mut arr) = match annots {
        Some(Object::Reference(id)) => match doc.get_object(id).and_then(|o| o.as_array()) {
            Ok(a) => (Some(id), a.clone()),
            Err(_) => return Vec::new(),
        },
        Some(Object::Array(a)) => (None, a),
        _ => return Vec::new(),
    };
    let mut ids = Vec::new();
    let mut changed = false;
    for item in arr.iter_mut() {
        match item {
            Object::Reference(id) => ids.push(*id),
            Object::Dictionary(d) => {
                let id = doc.add_object(Object::Dictionary(d.clone()));
                *item = Object::Reference(id);
                ids.push(id);
                changed = true;
            }
            _ => {}
        }
    }
    if changed {
        match holder {
            Some(h) => {
                if let Ok(o) = doc.get_object_mut(h) {
                    *o = Object::Array(arr);
                }
            }
            None => {
                if let Ok(d) = doc.get_object_mut(page).and_then(|o| o.as_dict_mut()) {
                    d.set("Annots", Object::Array(arr));
                }
            }
        }
    }
    ids
}

/// Form fields with their full names (as the reader names them) and ids.
pub(super) fn field_ids(doc: &Document) -> Vec<(String, ObjectId)> {
    let Some(fields) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"AcroForm").ok())
        .map(|o| reader::deref(doc, o))
        .and_then(|o| o.as_dict().ok())
        .and_then(|f| f.get(b"Fields").ok())
        .map(|o| reader::deref(doc, o))
        .and_then(|o| o.as_array().ok())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut stack: Vec<(&Object, String)> = fields.iter().map(|f| (f, String::new())).collect();
    while let Some((obj, parent)) = stack.pop() {
        let Object::Reference(id) = obj else { continue };
        if !seen.insert(*id) || seen.len() > 100_000 {
            continue;
        }
        let Ok(d) = doc.get_dictionary(*id) else {
            continue;
        };
        let name = match d.get(b"T").ok().and_then(|o| reader::text_string(doc, o)) {
            Some(t) if parent.is_empty() => t,
            Some(t) => format!("{parent}.{t}"),
            None => parent.clone(),
        };
        out.push((name.clone(), *id));
        if let Ok(kids) = d
            .get(b"Kids")
            .map(|k| reader::deref(doc, k))
            .and_then(|k| k.as_array())
        {
            stack.extend(kids.iter().map(|k| (k, name.clone())));
        }
    }
    out
}

/// Write the redacted annotation texts and field values.
pub(super) fn fix_strings(
    doc: &mut Document,
    pages: &[PdfPage],
    fixes: &[StringFix],
) -> Result<(), RedactError> {
    if fixes.is_empty() {
        return Ok(());
    }
    let fields = field_ids(doc);
    let mut need_appearances = false;
    for fix in fixes {
        let mut done = false;
        match fix.page {
            Some(n) => {
                let page = pages
                    .iter()
                    .find(|p| p.number == n)
                    .ok_or_else(|| failed("an annotation's page is missing"))?;
                for id in annotation_ids(doc, page.id) {
                    let Ok(a) = doc.get_dictionary(id) else {
                        continue;
                    };
                    if a.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Widget") {
                        continue;
                    }
                    let matches = a
                        .get(fix.key.as_bytes())
                        .ok()
                        .and_then(|o| reader::text_string(doc, o))
                        .is_some_and(|t| t == fix.original);
                    if matches {
                        let a = doc
                            .get_dictionary_mut(id)
                            .map_err(|_| failed("annotation"))?;
                        a.set(fix.key.as_str(), lopdf::text_string(&fix.redacted));
                        // Rich text repeats /Contents with markup.
                        a.remove(b"RC");
                        done = true;
                    }
                }
            }
            None => {
                for (name, id) in &fields {
                    if *name != fix.key {
                        continue;
                    }
                    let Ok(d) = doc.get_dictionary(*id) else {
                        continue;
                    };
                    let v = d.get(b"V").ok().and_then(|o| reader::text_string(doc, o));
                    if v.as_deref() != Some(fix.original.as_str()) {
                        continue;
                    }
                    let dv = d.get(b"DV").ok().and_then(|o| reader::text_string(doc, o));
                    let kids: Vec<ObjectId> = d
                        .get(b"Kids")
                        .map(|k| reader::deref(doc, k))
                        .and_then(|k| k.as_array())
                        .map(|a| a.iter().filter_map(|k| k.as_reference().ok()).collect())
                        .unwrap_or_default();
                    let d = doc.get_dictionary_mut(*id).map_err(|_| failed("field"))?;
                    d.set("V", lopdf::text_string(&fix.redacted));
                    if dv.as_deref() == Some(fix.original.as_str()) {
                        d.set("DV", lopdf::text_string(&fix.redacted));
                    }
                    // The widget's appearance shows the old value: drop it,
                    // viewers build a new one from /V.
                    d.remove(b"AP");
                    for k in kids {
                        if let Ok(w) = doc.get_dictionary_mut(k) {
                            w.remove(b"AP");
                        }
                    }
                    need_appearances = true;
                    done = true;
                }
            }
        }
        if !done {
            return Err(failed(
                "an annotation text or form value with a finding could not be located",
            ));
        }
    }
    if need_appearances {
        let form = doc
            .catalog()
            .ok()
            .and_then(|c| c.get(b"AcroForm").ok())
            .and_then(|o| o.as_reference().ok());
        let form = match form {
            Some(id) => doc.get_dictionary_mut(id).ok(),
            None => doc
                .catalog_mut()
                .ok()
                .and_then(|c| c.get_mut(b"AcroForm").ok())
                .and_then(|o| o.as_dict_mut().ok()),
        };
        if let Some(f) = form {
            f.set("NeedAppearances", true);
        }
    }
    Ok(())
}
