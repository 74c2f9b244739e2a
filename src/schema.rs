//! The pack format, defined once: the builder (`data-pack`) serialises these
//! types, the viewer reads their archived form in place.
//!
//! A pack file is a fixed 24-byte prefix followed by an rkyv archive of
//! [`PackData`]:
//!
//! | bytes  | what                                                        |
//! |--------|-------------------------------------------------------------|
//! | 0..8   | [`MAGIC`] `TSNAPACK`                                        |
//! | 8..12  | format version, u32 little-endian ([`FORMAT_VERSION`])      |
//! | 12..16 | CRC-32 of the payload, u32 little-endian                    |
//! | 16..24 | payload length in bytes, u64 little-endian                  |
//! | 24..   | the rkyv archive                                            |
//!
//! The prefix lets the reader refuse a foreign, truncated or other-version
//! file with a precise message before touching the archive, and the CRC
//! catches bit flips that would still validate structurally (a flipped byte
//! inside an `f64` is a silently wrong figure, which we never show).
//!
//! Enumerations are stored as `u8` codes (see [`Status`], [`TerritoryKind`],
//! ...) so the archived form stays plain; the typed accessors in
//! [`crate::pack`] convert them back.

use rkyv::{Archive, Deserialize, Serialize};

/// First eight bytes of every pack.
pub const MAGIC: [u8; 8] = *b"TSNAPACK";
/// Bumped whenever the archived layout or the meaning of a field changes.
pub const FORMAT_VERSION: u32 = 2;
/// Size of the fixed prefix before the archive.
pub const PREFIX_LEN: usize = 24;

/// The root of the archive.
#[derive(Archive, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct PackData {
    pub header: Header,
    /// Sorted by (kind, code): France, régions, départements, EPCI, communes.
    pub territories: Vec<Territory>,
    /// Indices into `territories`, sorted by (code, kind), for lookup by code.
    pub code_index: Vec<u32>,
    pub indicators: Vec<Indicator>,
    /// Bibliographic sources ("Insee, Filosofi 2021"); series point here.
    pub sources: Vec<Source>,
    /// Sorted by (indicator, year).
    pub series: Vec<Series>,
    pub geometry: Geometry,
    /// Typologies computed by the builder (the default fragility typology
    /// of the EPCI).
    pub typologies: Vec<Typology>,
}

/// What the pack was made from and when.
#[derive(Archive, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Header {
    /// ISO 8601 UTC date-time of the build.
    pub build_date: String,
    /// `data-pack <version>`.
    pub builder: String,
    /// Every raw file read, with its SHA-256.
    pub source_files: Vec<SourceFile>,
}

#[derive(Archive, Serialize, Deserialize, Debug, Clone, PartialEq, serde::Serialize)]
pub struct SourceFile {
    /// Path relative to the sources directory.
    pub path: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    pub bytes: u64,
}

/// Territory kinds, stored as `u8` in [`Territory::kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[repr(u8)]
pub enum TerritoryKind {
    Country = 0,
    Region = 1,
    Departement = 2,
    Epci = 3,
    Commune = 4,
}

impl TerritoryKind {
    pub const ALL: [TerritoryKind; 5] = [
        TerritoryKind::Country,
        TerritoryKind::Region,
        TerritoryKind::Departement,
        TerritoryKind::Epci,
        TerritoryKind::Commune,
    ];
    pub fn from_u8(v: u8) -> Option<Self> {
        Self::ALL.get(v as usize).copied()
    }
    /// Short machine name, used in JSON and as an explicit code prefix
    /// (`dep:52` is Haute-Marne, `reg:52` the Pays de la Loire).
    pub fn key(self) -> &'static str {
        match self {
            TerritoryKind::Country => "pays",
            TerritoryKind::Region => "reg",
            TerritoryKind::Departement => "dep",
            TerritoryKind::Epci => "epci",
            TerritoryKind::Commune => "com",
        }
    }
    pub fn label_fr(self) -> &'static str {
        match self {
            TerritoryKind::Country => "Pays",
            TerritoryKind::Region => "Région",
            TerritoryKind::Departement => "Département",
            TerritoryKind::Epci => "Intercommunalité",
            TerritoryKind::Commune => "Commune",
        }
    }
}

/// How much of a territory lies in the Pays de la Loire, stored as `u8` in
/// [`Territory::pdl`]. Sources that cover PdL communes only give a complete
/// value for `Full`, a partial one for `Partial`, none for `Outside`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum PdlCoverage {
    Outside = 0,
    Partial = 1,
    Full = 2,
}

impl PdlCoverage {
    pub fn from_u8(v: u8) -> Option<Self> {
        match v {
            0 => Some(Self::Outside),
            1 => Some(Self::Partial),
            2 => Some(Self::Full),
            _ => None,
        }
    }
}

#[derive(Archive, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Territory {
    /// Official code: SIREN for EPCI, INSEE code otherwise, `FRM` for
    /// France métropolitaine.
    pub code: String,
    /// Official name ("Nantes Métropole", "Loire-Atlantique").
    pub name: String,
    /// [`TerritoryKind`] as `u8`.
    pub kind: u8,
    /// For EPCI: `CC`, `CA`, `CU` or `ME`; empty otherwise.
    pub epci_type: String,
    /// Départements (indices into `territories`), the one holding most of the
    /// population first. Empty for régions and France.
    pub departements: Vec<u32>,
    /// Régions, majority first. Empty for France.
    pub regions: Vec<u32>,
    /// For a commune: its EPCI (none for L'Île-d'Yeu). `u32::MAX` if none.
    pub epci: u32,
    /// [`PdlCoverage`] as `u8`.
    pub pdl: u8,
    /// True for France métropolitaine and its parts; false for the DROM.
    pub metro: bool,
    /// Normalised name for search (see [`crate::search::name_key`]).
    pub search_key: String,
    /// Names of member communes as written, most populous first, separated
    /// by `|`: typing a town finds its EPCI ("sable" finds the Pays
    /// Sabolien through Sablé-sur-Sarthe). Empty for communes. Stored once;
    /// the search normalises them on first use.
    pub alias_names: String,
}

/// Indicator kinds, stored as `u8` in [`Indicator::kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[repr(u8)]
pub enum IndicatorKind {
    /// Summable: people, households, dwellings...
    Count = 0,
    /// A ratio of two counts (Σnum/Σden when computed), or a published rate.
    Rate = 1,
    /// A part of a whole (income composition, population by density level).
    Share = 2,
    /// A median or another quantile; never aggregated.
    Median = 3,
    /// A money amount or another non-summable quantity (D9/D1, Gini, density).
    Amount = 4,
    /// A class code (density-grid level).
    Class = 5,
}

impl IndicatorKind {
    pub fn from_u8(v: u8) -> Option<Self> {
        use IndicatorKind::*;
        [Count, Rate, Share, Median, Amount, Class].get(v as usize).copied()
    }
    pub fn key(self) -> &'static str {
        match self {
            IndicatorKind::Count => "count",
            IndicatorKind::Rate => "rate",
            IndicatorKind::Share => "share",
            IndicatorKind::Median => "median",
            IndicatorKind::Amount => "amount",
            IndicatorKind::Class => "class",
        }
    }
}

/// Units, stored as `u8` in [`Indicator::unit`]; they drive formatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[repr(u8)]
pub enum Unit {
    /// Inhabitants: "3 907 156 hab."
    Inhabitants = 0,
    /// Other counts with a French noun in the label: "12 345".
    Number = 1,
    /// "12,8 %"
    Percent = 2,
    /// "24 950 €"
    Euro = 3,
    /// km²: "523,4 km²"
    SquareKm = 4,
    /// "745,2 hab./km²"
    PerSquareKm = 5,
    /// Plain ratio, one decimal: "3,4"
    Ratio = 6,
    /// Gini index, three decimals: "0,294"
    Index = 7,
    /// A class code
    Class = 8,
}

impl Unit {
    pub fn from_u8(v: u8) -> Option<Self> {
        use Unit::*;
        [Inhabitants, Number, Percent, Euro, SquareKm, PerSquareKm, Ratio, Index, Class].get(v as usize).copied()
    }
    pub fn key(self) -> &'static str {
        match self {
            Unit::Inhabitants => "hab.",
            Unit::Number => "nombre",
            Unit::Percent => "%",
            Unit::Euro => "€",
            Unit::SquareKm => "km²",
            Unit::PerSquareKm => "hab./km²",
            Unit::Ratio => "ratio",
            Unit::Index => "indice",
            Unit::Class => "classe",
        }
    }
}

#[derive(Archive, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Stable machine id (`filosofi.taux_pauvrete`, `rp.population`).
    pub id: String,
    /// French label shown to users.
    pub label: String,
    /// French definition, for the sources and methods page.
    pub definition: String,
    /// [`Unit`] as `u8`.
    pub unit: u8,
    /// [`IndicatorKind`] as `u8`.
    pub kind: u8,
    /// Thematic group (`population`, `revenus`, `pauvrete`...).
    pub theme: String,
}

/// A producer's publication at a vintage, as it must be credited.
#[derive(Archive, Serialize, Deserialize, Debug, Clone, PartialEq, serde::Serialize)]
pub struct Source {
    pub id: String,
    /// Credit line: "Insee, Filosofi 2021".
    pub label: String,
    pub producer: String,
    /// Vintage as published ("2021", "RP 2018", "décembre 2024").
    pub vintage: String,
    /// Geography the figures are expressed in ("COG 2025").
    pub geography: String,
    /// Raw files it was read from (relative paths).
    pub files: Vec<String>,
    /// Caveats (method changes, approximations).
    pub note: String,
}

/// The status of one value: kept apart all the way to the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Status {
    /// A published value, or one computed by the aggregation rules.
    Value = 0,
    /// Statistical secret (`s`, or a zero that stands for secrecy).
    Secret = 1,
    /// The source publishes nothing for this territory.
    NotAvailable = 2,
    /// FILOSOFI poverty rate bottom-coded at 5 %: show "≤ 5 %".
    BottomCoded = 3,
    /// Approximate count rebuilt from rounded percentages: "ordre de grandeur".
    Approximate = 4,
    /// Computed from the PdL communes of an EPCI that crosses the région's
    /// border: covers part of the territory only.
    Partial = 5,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Value,
        Status::Secret,
        Status::NotAvailable,
        Status::BottomCoded,
        Status::Approximate,
        Status::Partial,
    ];
    pub fn from_u8(v: u8) -> Option<Self> {
        Self::ALL.get(v as usize).copied()
    }
    pub fn key(self) -> &'static str {
        match self {
            Status::Value => "value",
            Status::Secret => "secret",
            Status::NotAvailable => "not_available",
            Status::BottomCoded => "bottom_coded",
            Status::Approximate => "approximate",
            Status::Partial => "partial",
        }
    }
    /// The French wording shown instead of (or beside) the figure.
    pub fn label_fr(self) -> &'static str {
        match self {
            Status::Value => "",
            Status::Secret => "secret statistique",
            Status::NotAvailable => "non disponible",
            Status::BottomCoded => "≤ 5 %",
            Status::Approximate => "ordre de grandeur",
            Status::Partial => "couverture partielle",
        }
    }
    /// Whether `value` carries a number worth showing.
    pub fn has_value(self) -> bool {
        matches!(self, Status::Value | Status::BottomCoded | Status::Approximate | Status::Partial)
    }
}

/// One indicator at one year, for every territory that has it (columnar).
///
/// Numbers are decimal fixed-point: `value = values[i] / 10^scale`. The
/// builder picks, per series, the smallest scale at which every value is
/// exact (published figures: always), else the largest that fits an `i32`
/// (sums of weighted census estimates keep 1 to 3 decimals). This halves
/// the archive and lets gzip shrink it far more than raw `f64`s would.
#[derive(Archive, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Series {
    /// Index into `indicators`.
    pub indicator: u32,
    pub year: u16,
    /// Index into `sources`.
    pub source: u32,
    /// Territory indices, strictly increasing.
    pub territories: Vec<u32>,
    /// Decimal exponent of `values` (0 to 3).
    pub scale: u8,
    /// One per territory; [`MISSING_VALUE`] where the status carries no
    /// number.
    pub values: Vec<i32>,
    /// [`Status`] codes, one per territory.
    pub status: Vec<u8>,
    /// Decimal exponent of `numerators` and `denominators`.
    pub fraction_scale: u8,
    /// For rates computed by the builder (Σnum/Σden): numerators and
    /// denominators, one per territory; empty for published values.
    pub numerators: Vec<i32>,
    pub denominators: Vec<i32>,
}

/// Stands for "no number" in [`Series`] columns.
pub const MISSING_VALUE: i32 = i32::MIN;

/// Largest decimal exponent a series may use.
pub const MAX_SCALE: u8 = 3;

/// Decodes a fixed-point number.
pub fn decode_fixed(v: i32, scale: u8) -> Option<f64> {
    (v != MISSING_VALUE).then(|| v as f64 / 10f64.powi(scale as i32))
}

/// Projected, quantised geometry with shared arcs (TopoJSON-like).
///
/// Coordinates are Lambert-93 (EPSG:2154) metres rounded to whole metres.
/// Every layer's rings are sequences of arc references; neighbours, and the
/// layers derived from one another (communes, EPCI, départements, régions),
/// reference the same arcs, so borders coincide exactly at every level of
/// detail.
#[derive(Archive, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Geometry {
    /// "EPSG:2154".
    pub crs: String,
    /// Levels of detail; all have the same arcs, simplified differently.
    pub lods: Vec<Lod>,
    pub layers: Vec<Layer>,
}

#[derive(Archive, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Lod {
    /// `france` or `region`.
    pub name: String,
    /// Simplification tolerance in metres.
    pub tolerance_m: f64,
    /// Arc `i` is points `arc_offsets[i] .. arc_offsets[i + 1]`; length is
    /// arc count + 1.
    pub arc_offsets: Vec<u32>,
    /// Interleaved x, y in whole metres: each arc's first point absolute,
    /// each following point as the step from the previous one (steps are
    /// small and gzip well; [`crate::geometry::decode_arc`] undoes it).
    pub coords: Vec<i32>,
}

/// Layer kinds: which territories a layer draws. Stored as the
/// [`TerritoryKind`] code in [`Layer::kind`].
#[derive(Archive, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Layer {
    /// [`TerritoryKind`] as `u8`.
    pub kind: u8,
    pub features: Vec<Feature>,
}

#[derive(Archive, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Feature {
    /// Index into `territories`.
    pub territory: u32,
    /// [min x, min y, max x, max y] in metres.
    pub bbox: [i32; 4],
    /// A point inside the feature's largest polygon (metres), where its
    /// proportional circle and its label go: a centroid can fall outside
    /// a crescent-shaped territory.
    pub anchor: [i32; 2],
    pub polygons: Vec<Polygon>,
}

#[derive(Archive, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Polygon {
    /// First ring is the exterior (counter-clockwise), the others holes
    /// (clockwise).
    pub rings: Vec<Ring>,
}

#[derive(Archive, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Ring {
    /// Arc references: `i` walks arc `i` forward, `!i` (bitwise not, i.e.
    /// `-i - 1`) walks arc `i` backward, as in TopoJSON.
    pub arcs: Vec<i32>,
}

/// A classification of territories into a few classes described by their
/// profile, computed once by the builder with [`crate::typology`] (the page
/// can recompute another one with the same code).
#[derive(Archive, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Typology {
    /// `fragilites`.
    pub id: String,
    /// "Typologie des fragilités des intercommunalités".
    pub label: String,
    /// How it was made, in French, for the sources and methods page.
    pub method: String,
    /// The variables, standardised before clustering.
    pub variables: Vec<TypologyVariable>,
    pub classes: Vec<TypologyClass>,
    /// Classified territories (indices, increasing) and their class (index
    /// into `classes`). Territories missing a variable are not classified.
    pub territories: Vec<u32>,
    pub class_of: Vec<u8>,
}

#[derive(Archive, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct TypologyVariable {
    /// Index into `indicators`.
    pub indicator: u32,
    pub year: u16,
}

#[derive(Archive, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct TypologyClass {
    /// Generated from the profile ("Pauvreté et chômage élevés").
    pub label: String,
    /// Mean standardised value of each variable in the class (same order as
    /// `variables`).
    pub profile: Vec<f64>,
    /// Number of territories in the class.
    pub size: u32,
}

/// Sentinel for "no EPCI" in [`Territory::epci`].
pub const NO_TERRITORY: u32 = u32::MAX;
