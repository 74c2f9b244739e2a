//! The thin `wasm-bindgen` layer: a [`Viewer`] owns the loaded [`Pack`] and
//! answers the page with plain serde values (objects and arrays). Every call
//! returns `Result<_, JsError>` so a fault reaches JavaScript as an `Error`
//! with a French message, never as a trap.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::pack::{Observation, Pack, TerritoryRef};
use crate::schema::TerritoryKind;
use crate::{report, search};

#[wasm_bindgen]
pub struct Viewer {
    pack: Pack,
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
}

fn kinds_of(list: &str) -> Result<Vec<TerritoryKind>, JsError> {
    list.split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(|k| {
            TerritoryKind::ALL
                .iter()
                .copied()
                .find(|t| t.key() == k)
                .ok_or_else(|| JsError::new(&format!("type de territoire inconnu : « {k} »")))
        })
        .collect()
}

#[wasm_bindgen]
impl Viewer {
    /// Loads a pack from its bytes (copied once into aligned memory).
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Result<Viewer, JsError> {
        Pack::from_bytes(bytes).map(|pack| Viewer { pack }).map_err(|e| JsError::new(&e.to_string()))
    }

    /// What the pack holds: build date, counts, sources with vintages.
    pub fn info(&self) -> Result<JsValue, JsError> {
        to_js(&report::PackInfo::of(&self.pack))
    }

    /// Territories matching `query`, best first. `kinds` is a comma list of
    /// `pays,reg,dep,epci,com` (empty: all).
    pub fn search(&self, query: &str, kinds: &str, limit: usize) -> Result<JsValue, JsError> {
        let kinds = kinds_of(kinds)?;
        let hits: Vec<report::TerritoryInfo> = search::search(&self.pack, query, &kinds, limit)
            .into_iter()
            .map(|m| report::TerritoryInfo::of(m.territory, m.via))
            .collect();
        to_js(&hits)
    }

    /// One territory with every observation the pack has for it.
    pub fn territory(&self, code: &str) -> Result<JsValue, JsError> {
        let t = self.resolve(code, None)?;
        to_js(&report::TerritoryDetail::of(&self.pack, t))
    }

    /// The snapshot of `code`: nine panels, each with its SVG, its table and
    /// its CSV. `compare` is a comma list of codes (`44,52,FRM`, or keys
    /// like `dep:44`); `undefined` means the default comparisons (its
    /// département, région and France), an empty string none.
    pub fn snapshot(&self, code: &str, compare: Option<String>) -> Result<JsValue, JsError> {
        let t = self.resolve(code, None)?;
        let comparisons = self.comparisons(t, compare.as_deref())?;
        let snapshot = crate::snapshot::build(&self.pack, t, &comparisons).map_err(|e| JsError::new(&e.to_string()))?;
        to_js(&report::SnapshotView::of(snapshot))
    }

    /// A map: `request` is a [`crate::map::MapRequest`] as a plain object
    /// (`{view: "pdl_epci", layer: {kind: "choropleth", indicator:
    /// "taux_pauvrete", year: 2021, method: {method: "quantiles"}, classes:
    /// 5, palette: null, circles: true}, highlight: ["epci:244400404"],
    /// width: 900, height: 700}`); returns a [`crate::map::MapResponse`].
    pub fn map(&self, request: JsValue) -> Result<JsValue, JsError> {
        let request: crate::map::MapRequest = serde_wasm_bindgen::from_value(request)
            .map_err(|e| JsError::new(&format!("demande de carte invalide : {e}")))?;
        let response = crate::map::draw(&self.pack, &request).map_err(|e| JsError::new(&e.to_string()))?;
        to_js(&response)
    }

    /// The indicators a choropleth can show (rates, shares, amounts,
    /// medians) with their years and French labels, for the page's select.
    pub fn map_indicators(&self) -> Result<JsValue, JsError> {
        to_js(&crate::map::indicators(&self.pack))
    }

    /// The palettes a map can use (`id`, French `name`, `kind`), for the
    /// page's select.
    pub fn map_palettes(&self) -> Result<JsValue, JsError> {
        to_js(&crate::map::palette::ids())
    }

    /// The snapshot of `code` as a printable document (A4 pages of scenes,
    /// [`crate::document::Document`]) serialised as JSON, which the page
    /// hands as it is to the PDF module. `compare` as for [`Viewer::snapshot`];
    /// `comments_json` is `{"general": "...", "panels": {"pauvrete": "..."}}`
    /// (empty: no comments); `map_json` a JSON array of map requests as for
    /// [`Viewer::map`] (`undefined` or `[]`: the poverty-rate choropleth and
    /// the fragility typology of the EPCI of the Pays de la Loire); `date`
    /// the day of the export, `YYYY-MM-DD`.
    pub fn pdf_document(
        &self,
        code: &str,
        compare: Option<String>,
        comments_json: &str,
        map_json: Option<String>,
        date: &str,
    ) -> Result<String, JsError> {
        let t = self.resolve(code, None)?;
        let comparisons = self.comparisons(t, compare.as_deref())?;
        let comments: crate::export::Comments = if comments_json.trim().is_empty() {
            Default::default()
        } else {
            serde_json::from_str(comments_json).map_err(|e| JsError::new(&format!("commentaires invalides : {e}")))?
        };
        let maps: Vec<crate::map::MapRequest> = match map_json.as_deref().map(str::trim) {
            None | Some("") => Vec::new(),
            Some(json) => {
                serde_json::from_str(json).map_err(|e| JsError::new(&format!("demandes de cartes invalides : {e}")))?
            }
        };
        let document = crate::export::snapshot_document(&self.pack, t, &comparisons, &comments, &maps, date)
            .map_err(|e| JsError::new(&e.to_string()))?;
        serde_json::to_string(&document).map_err(|e| JsError::new(&format!("document PDF impossible : {e}")))
    }

    /// One observation, for tests and tools.
    pub fn value(&self, code: &str, indicator: &str, year: u16) -> Result<JsValue, JsError> {
        let t = self.resolve(code, None)?;
        let ind = self.pack.indicator(indicator).map_err(|e| JsError::new(&e.to_string()))?;
        let obs: Option<Observation> = self.pack.value(t, ind, year);
        to_js(&obs.map(|o| report::Figure::of(&self.pack, &o)))
    }
}

impl Viewer {
    /// The comparison territories of `study`: its defaults when `compare`
    /// is `None`, else the comma list's codes or keys, resolved in the
    /// study's context (`52` is its région, not Haute-Marne).
    fn comparisons<'a>(
        &'a self,
        study: TerritoryRef<'a>,
        compare: Option<&str>,
    ) -> Result<Vec<TerritoryRef<'a>>, JsError> {
        match compare {
            None => Ok(study.default_comparisons()),
            Some(list) => {
                list.split(',').filter(|c| !c.trim().is_empty()).map(|c| self.resolve(c, Some(study))).collect()
            }
        }
    }

    fn resolve<'a>(&'a self, code: &str, context: Option<TerritoryRef<'a>>) -> Result<TerritoryRef<'a>, JsError> {
        self.pack.territory_by_code(code, context).map_err(|e| JsError::new(&e.to_string()))
    }
}
