//! Reading the commune polygons (`geometry/communes_cog2024.geojson`).
//!
//! The collection is streamed: serde walks the top-level object and hands us
//! one `geojson::Feature` at a time, which we convert and drop at once, so
//! peak memory stays near the file size plus the converted polygons instead
//! of holding a second, fully buffered copy of the whole collection.

use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::error::{BuildError, Result};

/// One commune of the source file (COG 2024), in WGS84 lon/lat degrees.
#[derive(Debug, Clone, PartialEq)]
pub struct CommuneGeometry {
    /// INSEE code in COG 2024.
    pub code: String,
    /// The COG 2025 commune it belongs to (itself unless merged in 2025).
    pub com2025: String,
    /// SIREN of its 2025 EPCI; empty for the few communes without one.
    pub epci2025: String,
    /// Département code.
    pub dep: String,
    /// Polygons → rings (exterior first) → closed lon/lat point lists.
    pub polygons: Vec<Vec<Vec<[f64; 2]>>>,
}

/// Reads the commune GeoJSON file. `display_name` is the path shown in
/// errors (relative to the sources directory).
pub fn read_communes(path: &Path, display_name: &str) -> Result<Vec<CommuneGeometry>> {
    let bytes = std::fs::read(path).map_err(|e| BuildError::file(display_name, format!("cannot read file: {e}")))?;
    parse_communes(&bytes, display_name)
}

/// Parses the bytes of a commune GeoJSON FeatureCollection (see
/// [`read_communes`]).
pub fn parse_communes(bytes: &[u8], display_name: &str) -> Result<Vec<CommuneGeometry>> {
    let mut out = Vec::new();
    // A conversion fault found inside the serde visitor is parked here: serde
    // can only carry a string out, and we want our own message without
    // serde_json's position suffix (which is past the feature's end: serde
    // reads on to the next separator before it fixes the position). Its
    // line is the line the feature starts on, found by [`feature_line`].
    let mut fault: Option<String> = None;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let res = TopLevel { out: &mut out, fault: &mut fault }.deserialize(&mut de).and_then(|()| de.end());
    match res {
        Ok(()) => Ok(out),
        Err(e) => Err(match fault {
            Some(msg) => BuildError::at(display_name, feature_line(bytes, out.len()).unwrap_or(e.line() as u64), msg),
            None if e.is_eof() => BuildError::at(
                display_name,
                e.line() as u64,
                format!("truncated GeoJSON (unexpected end of file after {} features)", out.len()),
            ),
            None => BuildError::at(display_name, e.line() as u64, format!("invalid GeoJSON: {e}")),
        }),
    }
}

/// The 1-based line on which feature `index` (0-based) of the collection's
/// `"features"` array starts; `None` if there is no such feature.
fn feature_line(bytes: &[u8], index: usize) -> Option<u64> {
    crate::sources::json_array_entry_lines(bytes, Some(b"features")).get(index).copied()
}

struct TopLevel<'a> {
    out: &'a mut Vec<CommuneGeometry>,
    fault: &'a mut Option<String>,
}

impl<'de> DeserializeSeed<'de> for TopLevel<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopLevel<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON FeatureCollection object")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> std::result::Result<(), M::Error> {
        let mut kind_ok = false;
        let mut saw_features = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" => {
                    let t: String = map.next_value()?;
                    if t != "FeatureCollection" {
                        return Err(de::Error::custom(format!(
                            "top-level type is {t:?}, expected \"FeatureCollection\""
                        )));
                    }
                    kind_ok = true;
                }
                "features" => {
                    map.next_value_seed(Features { out: &mut *self.out, fault: &mut *self.fault })?;
                    saw_features = true;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !kind_ok {
            return Err(de::Error::custom("missing \"type\": \"FeatureCollection\""));
        }
        if !saw_features {
            return Err(de::Error::custom("missing \"features\" array"));
        }
        Ok(())
    }
}

struct Features<'a> {
    out: &'a mut Vec<CommuneGeometry>,
    fault: &'a mut Option<String>,
}

impl<'de> DeserializeSeed<'de> for Features<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Features<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of GeoJSON features")
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> std::result::Result<(), S::Error> {
        while let Some(feature) = seq.next_element::<geojson::Feature>()? {
            let index = self.out.len();
            match convert(feature, index) {
                Ok(c) => self.out.push(c),
                Err(msg) => {
                    *self.fault = Some(msg.clone());
                    return Err(de::Error::custom(msg));
                }
            }
        }
        Ok(())
    }
}

/// Turns one feature into a [`CommuneGeometry`], or a message naming the
/// feature (0-based index, and code when known).
fn convert(feature: geojson::Feature, index: usize) -> std::result::Result<CommuneGeometry, String> {
    let props = feature.properties.as_ref();
    let prop = |name: &str, optional: bool| -> std::result::Result<String, String> {
        match props.and_then(|p| p.get(name)) {
            Some(serde_json::Value::String(s)) => Ok(s.clone()),
            Some(serde_json::Value::Null) if optional => Ok(String::new()),
            Some(v) => Err(format!("property {name:?} is not a string: {v}")),
            None => Err(format!("missing property {name:?}")),
        }
    };
    let code = prop("code", false).map_err(|m| format!("feature #{index}: {m}"))?;
    let at = |m: String| format!("feature #{index} (commune {code}): {m}");
    let com2025 = prop("com2025", false).map_err(at)?;
    let epci2025 = prop("epci2025", true).map_err(at)?;
    let dep = prop("dep", false).map_err(at)?;
    if code.is_empty() || com2025.is_empty() || dep.is_empty() {
        return Err(at("empty code, com2025 or dep".into()));
    }
    let geometry = feature.geometry.ok_or_else(|| at("no geometry".into()))?;
    let raw: Vec<Vec<Vec<geojson::Position>>> = match geometry.value {
        geojson::GeometryValue::Polygon { coordinates } => vec![coordinates],
        geojson::GeometryValue::MultiPolygon { coordinates } => coordinates,
        other => return Err(at(format!("geometry is a {}, expected Polygon or MultiPolygon", other.type_name()))),
    };
    if raw.is_empty() {
        return Err(at("empty MultiPolygon".into()));
    }
    let mut polygons = Vec::with_capacity(raw.len());
    for (pi, poly) in raw.into_iter().enumerate() {
        if poly.is_empty() {
            return Err(at(format!("polygon {pi} has no ring")));
        }
        let mut rings = Vec::with_capacity(poly.len());
        for (ri, ring) in poly.into_iter().enumerate() {
            let here = |m: &str| at(format!("polygon {pi}, ring {ri}: {m}"));
            if ring.is_empty() {
                return Err(here("empty ring"));
            }
            // A GeoJSON ring is closed and needs 3 distinct positions.
            if ring.len() < 4 {
                return Err(here(&format!("ring has {} positions, at least 4 needed", ring.len())));
            }
            let mut pts = Vec::with_capacity(ring.len());
            for (k, p) in ring.iter().enumerate() {
                if p.len() < 2 {
                    return Err(here(&format!("position {k} has fewer than 2 coordinates")));
                }
                let (lon, lat) = (p[0], p[1]);
                if !lon.is_finite() || !lat.is_finite() {
                    return Err(here(&format!("position {k} is not finite")));
                }
                // Out-of-range degrees mean projected data or swapped axes:
                // the Lambert formula would silently produce nonsense.
                // The south pole itself has no image under a cone tangent in the north.
                if !((-180.0..=180.0).contains(&lon) && lat > -90.0 && lat <= 90.0) {
                    return Err(here(&format!("position {k} ({lon}, {lat}) is not a WGS84 longitude/latitude")));
                }
                pts.push([lon, lat]);
            }
            if pts[0] != pts[pts.len() - 1] {
                return Err(here("ring is not closed (first and last positions differ)"));
            }
            rings.push(pts);
        }
        polygons.push(rings);
    }
    Ok(CommuneGeometry { code, com2025, epci2025, dep, polygons })
}

#[cfg(test)]
mod tests {
    #[test]
    fn feature_lines_follow_strings_and_nesting() {
        let text = b"{\"type\":\"FeatureCollection\",\"bbox\":[1,2],\"name\":\"features\",\n\"features\":[{\"a\":\"}],\\\"\"},\n {\"b\":[[1,2]]},\n\n{}]}";
        assert_eq!(super::feature_line(text, 0), Some(2));
        assert_eq!(super::feature_line(text, 1), Some(3));
        assert_eq!(super::feature_line(text, 2), Some(5));
        assert_eq!(super::feature_line(text, 3), None);
    }
}
