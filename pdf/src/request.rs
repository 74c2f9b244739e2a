//! The page's export request → the snapshot document. The PDF module lays
//! the document out itself (`territoire::export`) from the pack it loads,
//! so the viewer's core, loaded with the page, carries neither the layout
//! nor a JSON parser.

use std::fmt;

use territoire::document::Document;
use territoire::export::{snapshot_document, Comments};
use territoire::map::MapRequest;
use territoire::Pack;

/// Why no document could be laid out. `Display` is French: the page shows
/// it after « Export PDF impossible : ».
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError(pub String);

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RequestError {}

/// The document the page asks for:
/// - `code`: the study territory, a code or a key (`244400404`, `dep:44`);
/// - `compare`: a comma list of codes or keys, resolved in the study's
///   context (`52` is its région); `None`: its default comparisons (its
///   département, région and France), an empty string: none;
/// - `comments_json`: `{"general": "...", "panels": {"pauvrete": "..."}}`
///   (empty: no comments; both fields optional);
/// - `maps_json`: a JSON array of map requests as for the viewer's `map`
///   (`None`, empty or `[]`: none; the poverty-rate choropleth and the
///   fragility typology are added when missing);
/// - `date`: the day of the export, `YYYY-MM-DD` (the page's clock).
pub fn document(
    pack: &Pack,
    code: &str,
    compare: Option<&str>,
    comments_json: &str,
    maps_json: Option<&str>,
    date: &str,
) -> Result<Document, RequestError> {
    let fail = |e: &dyn fmt::Display| RequestError(e.to_string());
    let study = pack.territory_by_code(code, None).map_err(|e| fail(&e))?;
    let comparisons = match compare {
        None => study.default_comparisons(),
        Some(list) => list
            .split(',')
            .filter(|c| !c.trim().is_empty())
            .map(|c| pack.territory_by_code(c, Some(study)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| fail(&e))?,
    };
    let comments: Comments = if comments_json.trim().is_empty() {
        Comments::default()
    } else {
        serde_json::from_str(comments_json).map_err(|e| RequestError(format!("commentaires invalides : {e}")))?
    };
    let maps: Vec<MapRequest> = match maps_json.map(str::trim) {
        None | Some("") => Vec::new(),
        Some(json) => {
            serde_json::from_str(json).map_err(|e| RequestError(format!("demandes de cartes invalides : {e}")))?
        }
    };
    snapshot_document(pack, study, &comparisons, &comments, &maps, date).map_err(|e| fail(&e))
}
