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
    /// Screen geometry of the last map views drawn (see `map::MapCache`).
    maps: crate::map::MapCache,
    /// The infographics given to the page, for the next switch's patches.
    shown: crate::render::patch::Shown,
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
        Pack::from_bytes(bytes)
            .map(|pack| Viewer { pack, maps: crate::map::MapCache::new(), shown: crate::render::patch::Shown::new() })
            .map_err(|e| JsError::new(&e.to_string()))
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
        to_js(&report::SnapshotView::of(self.build_snapshot(code, compare)?))
    }

    /// What a territory switch shows: the same snapshot as [`Viewer::snapshot`]
    /// with, per panel, only `id`, `number`, `title`, `key`, `sentences` and
    /// `sources` ([`report::InfographicsView`]), and its SVG as a whole
    /// `svg` or as a `patch` of the one the page shows (JSON text, see
    /// [`crate::render::patch`]). `shown` is the comma list of the `key`s
    /// of the infographics the page shows, panel by panel (`undefined` or
    /// empty: none, every `svg` is whole). The page asks `snapshot` for a
    /// table or a CSV when the user opens or downloads one.
    pub fn infographics(&self, code: &str, compare: Option<String>, shown: Option<String>) -> Result<JsValue, JsError> {
        // Keys are written by the core: digits only (anything else is not
        // one of its keys, and that panel is sent whole).
        let keys: Vec<u32> = shown
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(|k| {
                k.bytes()
                    .try_fold(0u32, |v, d| {
                        d.is_ascii_digit().then(|| v.checked_mul(10)?.checked_add(u32::from(d - b'0'))).flatten()
                    })
                    .filter(|_| !k.is_empty())
                    .unwrap_or(u32::MAX)
            })
            .collect();
        to_js(&report::InfographicsView::of(self.build_snapshot(code, compare)?).against(&self.shown, &keys))
    }

    /// The whole SVG of the infographic `key` (from `infographics`), for a
    /// page that could not apply its patch; `undefined` once forgotten.
    pub fn infographic_svg(&self, key: u32) -> Option<String> {
        self.shown.document(key)
    }

    /// A map: `request` is a [`crate::map::MapRequest`] as a plain object
    /// (`{view: "pdl_epci", layer: {kind: "choropleth", indicator:
    /// "taux_pauvrete", year: 2021, method: {method: "quantiles"}, classes:
    /// 5, palette: null, circles: true}, highlight: ["epci:244400404"],
    /// width: 900, height: 700}`); returns a [`crate::map::MapResponse`].
    pub fn map(&self, request: JsValue) -> Result<JsValue, JsError> {
        let request =
            read::map_request(&request).map_err(|e| JsError::new(&format!("demande de carte invalide : {e}")))?;
        let mut response =
            crate::map::draw_cached(&self.pack, &self.maps, &request).map_err(|e| JsError::new(&e.to_string()))?;
        // The features (1,230 objects with their figures for France) cross
        // as one JSON text parsed by the browser, not field by field.
        let features = std::mem::take(&mut response.features);
        let out = to_js(&response)?;
        let parsed = js_sys::JSON::parse(&crate::json::features(&features))
            .map_err(|_| JsError::new("carte impossible : liste des territoires illisible"))?;
        js_sys::Reflect::set(&out, &JsValue::from_str("features"), &parsed)
            .map_err(|_| JsError::new("carte impossible : liste des territoires non transmise"))?;
        Ok(out)
    }

    /// Only the highlight outlines of the map `request` asks for (the same
    /// request as [`Viewer::map`]): a standalone SVG document of the map's
    /// size whose one group `<g data-outlines="">` is byte for byte the one
    /// `map` would write, for the page to swap in place when only
    /// `highlight` changed (see [`crate::map::outlines`]).
    pub fn map_outlines(&self, request: JsValue) -> Result<String, JsError> {
        let request =
            read::map_request(&request).map_err(|e| JsError::new(&format!("demande de carte invalide : {e}")))?;
        crate::map::outlines_cached(&self.pack, &self.maps, &request).map_err(|e| JsError::new(&e.to_string()))
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

    /// One observation, for tests and tools.
    pub fn value(&self, code: &str, indicator: &str, year: u16) -> Result<JsValue, JsError> {
        let t = self.resolve(code, None)?;
        let ind = self.pack.indicator(indicator).map_err(|e| JsError::new(&e.to_string()))?;
        let obs: Option<Observation> = self.pack.value(t, ind, year);
        to_js(&obs.map(|o| report::Figure::of(&self.pack, &o)))
    }
}

impl Viewer {
    fn build_snapshot(&self, code: &str, compare: Option<String>) -> Result<crate::snapshot::Snapshot, JsError> {
        let t = self.resolve(code, None)?;
        let comparisons = self.comparisons(t, compare.as_deref())?;
        crate::snapshot::build(&self.pack, t, &comparisons).map_err(|e| JsError::new(&e.to_string()))
    }

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

/// The page's map request ([`crate::map::MapRequest`]), read from the plain
/// object by hand, as serde would read it (same field names and tags;
/// `null` or a missing field for an optional one). serde's derive for these
/// internally tagged enums, through serde-wasm-bindgen, cost ~40 KB of the
/// wasm. Errors say which field is wrong, in French.
mod read {
    use js_sys::{Array, Reflect};
    use wasm_bindgen::JsValue;

    use crate::classify::Method;
    use crate::map::{Layer, MapRequest, VariableRef, View};

    type R<T> = Result<T, String>;

    /// An object being read, with its path for messages (`layer.method`).
    struct Obj<'a> {
        value: &'a JsValue,
        path: &'a str,
    }

    impl<'a> Obj<'a> {
        fn new(value: &'a JsValue, path: &'a str) -> R<Obj<'a>> {
            if value.is_object() && !Array::is_array(value) {
                Ok(Obj { value, path })
            } else if path.is_empty() {
                Err("un objet est attendu".into())
            } else {
                Err(format!("« {path} » doit être un objet"))
            }
        }

        fn name(&self, key: &str) -> String {
            if self.path.is_empty() {
                key.to_string()
            } else {
                format!("{}.{key}", self.path)
            }
        }

        /// The field, `None` when missing, `undefined` or `null`.
        fn get(&self, key: &str) -> Option<JsValue> {
            let v = Reflect::get(self.value, &JsValue::from_str(key)).ok()?;
            (!v.is_undefined() && !v.is_null()).then_some(v)
        }

        fn need(&self, key: &str) -> R<JsValue> {
            self.get(key).ok_or_else(|| format!("champ « {} » manquant", self.name(key)))
        }

        fn opt_string(&self, key: &str) -> R<Option<String>> {
            match self.get(key) {
                None => Ok(None),
                Some(v) => v.as_string().map(Some).ok_or_else(|| format!("« {} » doit être un texte", self.name(key))),
            }
        }

        fn string(&self, key: &str) -> R<String> {
            self.opt_string(key)?.ok_or_else(|| format!("champ « {} » manquant", self.name(key)))
        }

        fn number(&self, key: &str) -> R<f64> {
            self.need(key)?.as_f64().ok_or_else(|| format!("« {} » doit être un nombre", self.name(key)))
        }

        /// A whole number from 0 to `max`; `None` when missing or null.
        fn opt_integer(&self, key: &str, max: f64) -> R<Option<f64>> {
            match self.get(key) {
                None => Ok(None),
                Some(v) => match v.as_f64() {
                    Some(n) if n.fract() == 0.0 && (0.0..=max).contains(&n) => Ok(Some(n)),
                    _ if max == u16::MAX as f64 => Err(format!("« {} » doit être une année (entier)", self.name(key))),
                    _ => Err(format!("« {} » doit être un entier positif ou nul", self.name(key))),
                },
            }
        }

        fn year(&self, key: &str) -> R<Option<u16>> {
            Ok(self.opt_integer(key, u16::MAX as f64)?.map(|n| n as u16))
        }

        fn count(&self, key: &str) -> R<usize> {
            let n = self.opt_integer(key, u32::MAX as f64)?;
            n.map(|n| n as usize).ok_or_else(|| format!("champ « {} » manquant", self.name(key)))
        }

        fn boolean(&self, key: &str) -> R<bool> {
            self.need(key)?.as_bool().ok_or_else(|| format!("« {} » doit être vrai ou faux", self.name(key)))
        }

        /// An array's items; empty when missing or null.
        fn items(&self, key: &str) -> R<Vec<JsValue>> {
            match self.get(key) {
                None => Ok(Vec::new()),
                Some(v) if Array::is_array(&v) => Ok(Array::from(&v).iter().collect()),
                Some(_) => Err(format!("« {} » doit être une liste", self.name(key))),
            }
        }

        fn unknown(&self, key: &str, value: &str) -> String {
            format!("« {} » inconnu : « {value} »", self.name(key))
        }
    }

    pub fn map_request(value: &JsValue) -> R<MapRequest> {
        let o = Obj::new(value, "")?;
        let view = match o.string("view")?.as_str() {
            "pdl_epci" => View::PdlEpci,
            "france_epci" => View::FranceEpci,
            "departement_epci" => View::DepartementEpci { departement: o.string("departement")? },
            "pdl_communes" => View::PdlCommunes,
            other => return Err(o.unknown("view", other)),
        };
        let layer = layer(&Obj::new(&o.need("layer")?, "layer")?)?;
        let highlight = o
            .items("highlight")?
            .into_iter()
            .map(|v| v.as_string().ok_or_else(|| "« highlight » doit être une liste de textes".to_string()))
            .collect::<R<Vec<_>>>()?;
        Ok(MapRequest { view, layer, highlight, width: o.number("width")?, height: o.number("height")? })
    }

    fn layer(o: &Obj<'_>) -> R<Layer> {
        Ok(match o.string("kind")?.as_str() {
            "choropleth" => Layer::Choropleth {
                indicator: o.string("indicator")?,
                year: o.year("year")?,
                method: method(&Obj::new(&o.need("method")?, "layer.method")?)?,
                classes: o.count("classes")?,
                palette: o.opt_string("palette")?,
                circles: o.boolean("circles")?,
            },
            "density_grid" => Layer::DensityGrid,
            "typology" => Layer::Typology {
                id: o.opt_string("id")?,
                variables: o
                    .items("variables")?
                    .iter()
                    .map(|v| {
                        let v = Obj::new(v, "layer.variables[]")?;
                        Ok(VariableRef { indicator: v.string("indicator")?, year: v.year("year")? })
                    })
                    .collect::<R<Vec<_>>>()?,
                classes: o.count("classes")?,
            },
            other => return Err(o.unknown("kind", other)),
        })
    }

    fn method(o: &Obj<'_>) -> R<Method> {
        Ok(match o.string("method")?.as_str() {
            "quantiles" => Method::Quantiles,
            "equal_intervals" => Method::EqualIntervals,
            "jenks" => Method::Jenks,
            "std_dev" => Method::StdDev,
            "manual" => Method::Manual {
                breaks: o
                    .items("breaks")?
                    .iter()
                    .map(|v| {
                        v.as_f64().ok_or_else(|| "« layer.method.breaks » doit être une liste de nombres".to_string())
                    })
                    .collect::<R<Vec<_>>>()?,
            },
            other => return Err(o.unknown("method", other)),
        })
    }
}
