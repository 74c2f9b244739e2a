//! Loading a pack and querying it in place.
//!
//! [`Pack::from_bytes`] is the only way in: it checks the prefix, copies the
//! archive once into a 16-aligned buffer (rkyv needs it; a `fetch`ed
//! `ArrayBuffer` copied into wasm memory has no alignment guarantee), runs
//! rkyv's structural validation, then checks every cross-reference (indices,
//! lengths, enum codes, arc references). After that, every accessor indexes
//! without further checks and cannot panic on any input file.

use std::collections::HashMap;
use std::fmt;
use std::hash::BuildHasherDefault;

use rkyv::rancor::BoxedError;
use rkyv::util::AlignedVec;

use crate::fnv::Fnv;
use crate::schema::{
    decode_fixed, ArchivedIndicator, ArchivedPackData, ArchivedSeries, ArchivedSource, ArchivedTerritory,
    IndicatorKind, PackData, PdlCoverage, Status, TerritoryKind, Unit, FORMAT_VERSION, MAGIC, MAX_SCALE, NO_TERRITORY,
    PREFIX_LEN,
};

/// Why a pack could not be loaded, or a query could not be answered.
/// Messages are in French: they reach the page's users as they are.
#[derive(Debug, Clone, PartialEq)]
pub enum PackError {
    /// Fewer bytes than the fixed prefix.
    TooShort {
        len: usize,
    },
    /// The magic bytes are not `TSNAPACK`.
    NotAPack,
    /// Built by another format version.
    WrongVersion {
        found: u32,
        expected: u32,
    },
    /// The prefix announces a payload length that the file does not have.
    WrongLength {
        announced: u64,
        actual: u64,
    },
    /// The payload's CRC-32 does not match the prefix.
    Corrupted {
        expected: u32,
        actual: u32,
    },
    /// rkyv's structural validation failed.
    Invalid(String),
    /// The archive is well-formed but its contents contradict each other.
    Inconsistent(String),
    UnknownTerritory(String),
    UnknownIndicator(String),
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackError::TooShort { len } => {
                write!(f, "fichier trop court pour être un pack ({len} octets, il en faut au moins {PREFIX_LEN})")
            }
            PackError::NotAPack => {
                write!(f, "ce fichier n'est pas un pack de données (signature TSNAPACK absente)")
            }
            PackError::WrongVersion { found, expected } => write!(
                f,
                "pack au format version {found}, cette visionneuse attend la version {expected} : reconstruisez le pack"
            ),
            PackError::WrongLength { announced, actual } => {
                write!(f, "pack tronqué ou modifié : {announced} octets de données annoncés, {actual} présents")
            }
            PackError::Corrupted { expected, actual } => {
                write!(f, "pack corrompu : somme de contrôle {actual:08x} au lieu de {expected:08x}")
            }
            PackError::Invalid(m) => write!(f, "pack invalide : {m}"),
            PackError::Inconsistent(m) => write!(f, "pack incohérent : {m}"),
            PackError::UnknownTerritory(c) => write!(f, "territoire inconnu : « {c} »"),
            PackError::UnknownIndicator(c) => write!(f, "indicateur inconnu : « {c} »"),
        }
    }
}

impl std::error::Error for PackError {}

/// Serialises a pack: prefix + archive. Used by the builder and by tests.
pub fn to_bytes(data: &PackData) -> Result<Vec<u8>, PackError> {
    let payload = rkyv::to_bytes::<BoxedError>(data).map_err(|e| PackError::Invalid(e.to_string()))?;
    let mut out = Vec::with_capacity(PREFIX_LEN + payload.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&payload);
    Ok(out)
}

/// A loaded, validated pack.
pub struct Pack {
    /// The archive (without the prefix), 16-aligned.
    bytes: AlignedVec<16>,
    /// Member towns' names normalised for search, built on first search
    /// (~35,000 names: a few milliseconds, not paid by a page that never
    /// searches).
    alias_keys: std::sync::OnceLock<Vec<String>>,
    /// Indicator lookups, built on first use: a snapshot looks up a few
    /// hundred ids and series ranges.
    index: std::sync::OnceLock<Index>,
}

/// What indicator lookups need, computed once per pack.
struct Index {
    /// Indicator index by id (the first in catalogue order for a repeated
    /// id, as a linear search finds).
    by_id: HashMap<String, u32, BuildHasherDefault<Fnv>>,
    /// The range of each indicator's series within the pack's series
    /// (which are sorted by indicator, checked on loading).
    series: Vec<std::ops::Range<usize>>,
}

impl Index {
    fn of(d: &ArchivedPackData) -> Index {
        let mut by_id: HashMap<String, u32, BuildHasherDefault<Fnv>> = HashMap::default();
        for (i, ind) in d.indicators.iter().enumerate() {
            by_id.entry(ind.id.to_string()).or_insert(i as u32);
        }
        let series = (0..d.indicators.len() as u32)
            .map(|i| {
                let start = d.series.partition_point(|s| s.indicator.to_native() < i);
                let end = d.series.partition_point(|s| s.indicator.to_native() <= i);
                start..end
            })
            .collect();
        Index { by_id, series }
    }
}

impl fmt::Debug for Pack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pack").field("bytes", &self.bytes.len()).finish()
    }
}

impl Pack {
    /// Checks and loads a pack file's bytes.
    pub fn from_bytes(file: &[u8]) -> Result<Pack, PackError> {
        if file.len() < PREFIX_LEN {
            // A short file that does not even start with the magic is not a
            // pack at all; say so rather than "too short".
            if file.len() < MAGIC.len() || file[..MAGIC.len()] != MAGIC {
                return Err(if file.len() >= MAGIC.len() {
                    PackError::NotAPack
                } else {
                    PackError::TooShort { len: file.len() }
                });
            }
            return Err(PackError::TooShort { len: file.len() });
        }
        if file[..8] != MAGIC {
            return Err(PackError::NotAPack);
        }
        let version = u32::from_le_bytes(file[8..12].try_into().expect("4 bytes"));
        if version != FORMAT_VERSION {
            return Err(PackError::WrongVersion { found: version, expected: FORMAT_VERSION });
        }
        let crc = u32::from_le_bytes(file[12..16].try_into().expect("4 bytes"));
        let announced = u64::from_le_bytes(file[16..24].try_into().expect("8 bytes"));
        let payload = &file[PREFIX_LEN..];
        if announced != payload.len() as u64 {
            return Err(PackError::WrongLength { announced, actual: payload.len() as u64 });
        }
        let actual = crate::crc::hash(payload);
        if actual != crc {
            return Err(PackError::Corrupted { expected: crc, actual });
        }
        let mut bytes = AlignedVec::<16>::with_capacity(payload.len());
        bytes.extend_from_slice(payload);
        rkyv::access::<ArchivedPackData, BoxedError>(&bytes).map_err(|e| PackError::Invalid(e.to_string()))?;
        let pack = Pack { bytes, alias_keys: std::sync::OnceLock::new(), index: std::sync::OnceLock::new() };
        pack.check_consistency()?;
        Ok(pack)
    }

    /// The archived root. Sound because `from_bytes` validated these exact
    /// bytes and nothing mutates them afterwards.
    pub fn data(&self) -> &ArchivedPackData {
        // SAFETY: validated by `rkyv::access` in `from_bytes`; `bytes` is
        // private and never modified after that.
        unsafe { rkyv::access_unchecked::<ArchivedPackData>(&self.bytes) }
    }

    fn alias_keys(&self) -> &[String] {
        self.alias_keys.get_or_init(|| {
            self.data()
                .territories
                .iter()
                .map(|t| t.alias_names.as_str().split('|').map(crate::search::normalize).collect::<Vec<_>>().join("|"))
                .collect()
        })
    }

    /// Size of the archive in bytes.
    pub fn archive_len(&self) -> usize {
        self.bytes.len()
    }

    fn check_consistency(&self) -> Result<(), PackError> {
        let d = self.data();
        let nt = d.territories.len() as u32;
        let ni = d.indicators.len() as u32;
        let ns = d.sources.len() as u32;
        let bad = |m: String| Err(PackError::Inconsistent(m));
        // A pack with nothing to show would give a viewer with an empty
        // search and no snapshot, not an error: refuse it here, by name.
        if d.territories.is_empty() || d.indicators.is_empty() {
            return bad(format!("le paquet est vide ({nt} territoires, {ni} indicateurs)"));
        }
        for (i, t) in d.territories.iter().enumerate() {
            if TerritoryKind::from_u8(t.kind).is_none() {
                return bad(format!("territoire {i} : type {} inconnu", t.kind));
            }
            if PdlCoverage::from_u8(t.pdl).is_none() {
                return bad(format!("territoire {i} : couverture {} inconnue", t.pdl));
            }
            let epci = t.epci.to_native();
            if epci != NO_TERRITORY && epci >= nt {
                return bad(format!("territoire {i} : EPCI {epci} hors limites"));
            }
            for r in t.departements.iter().chain(t.regions.iter()) {
                if r.to_native() >= nt {
                    return bad(format!("territoire {i} : parent {} hors limites", r.to_native()));
                }
            }
        }
        if d.code_index.len() != d.territories.len() {
            return bad("index des codes de taille incorrecte".into());
        }
        for c in d.code_index.iter() {
            if c.to_native() >= nt {
                return bad(format!("index des codes : {} hors limites", c.to_native()));
            }
        }
        for (i, ind) in d.indicators.iter().enumerate() {
            if Unit::from_u8(ind.unit).is_none() || IndicatorKind::from_u8(ind.kind).is_none() {
                return bad(format!("indicateur {i} : unité ou nature inconnue"));
            }
        }
        let mut previous: Option<(u32, u16)> = None;
        for (i, s) in d.series.iter().enumerate() {
            let key = (s.indicator.to_native(), s.year.to_native());
            if key.0 >= ni || s.source.to_native() >= ns {
                return bad(format!("série {i} : indicateur ou source hors limites"));
            }
            if previous.is_some_and(|p| p >= key) {
                return bad(format!("série {i} : séries non triées"));
            }
            previous = Some(key);
            let n = s.territories.len();
            if s.values.len() != n || s.status.len() != n {
                return bad(format!("série {i} : colonnes de longueurs différentes"));
            }
            if s.scale > MAX_SCALE || s.fraction_scale > MAX_SCALE {
                return bad(format!("série {i} : échelle décimale invalide"));
            }
            if !(s.numerators.is_empty() && s.denominators.is_empty())
                && (s.numerators.len() != n || s.denominators.len() != n)
            {
                return bad(format!("série {i} : numérateurs ou dénominateurs incomplets"));
            }
            let mut last: Option<u32> = None;
            for t in s.territories.iter() {
                let t = t.to_native();
                if t >= nt || last.is_some_and(|l| l >= t) {
                    return bad(format!("série {i} : territoire {t} hors limites ou non trié"));
                }
                last = Some(t);
            }
            if let Some(code) = s.status.iter().find(|c| Status::from_u8(**c).is_none()) {
                return bad(format!("série {i} : statut {code} inconnu"));
            }
        }
        for ty in d.typologies.iter() {
            let (n, nc) = (ty.territories.len(), ty.classes.len());
            if ty.class_of.len() != n || ty.class_of.iter().any(|c| *c as usize >= nc) {
                return bad(format!("typologie {} : classes hors limites", ty.id));
            }
            if ty.territories.iter().any(|t| t.to_native() >= nt)
                || ty.variables.iter().any(|v| v.indicator.to_native() >= ni)
                || ty.classes.iter().any(|c| c.profile.len() != ty.variables.len())
            {
                return bad(format!("typologie {} : références hors limites", ty.id));
            }
        }
        let g = &d.geometry;
        let narcs = g.lods.first().map(|l| l.arc_offsets.len().saturating_sub(1)).unwrap_or(0);
        for lod in g.lods.iter() {
            if lod.arc_offsets.len() != narcs + 1 {
                return bad(format!("niveau de détail {} : nombre d'arcs différent", lod.name));
            }
            let mut prev = 0u32;
            for o in lod.arc_offsets.iter() {
                let o = o.to_native();
                if o < prev {
                    return bad(format!("niveau de détail {} : arcs non ordonnés", lod.name));
                }
                prev = o;
            }
            if (prev as usize) * 2 != lod.coords.len() {
                return bad(format!("niveau de détail {} : coordonnées incomplètes", lod.name));
            }
        }
        for layer in g.layers.iter() {
            if TerritoryKind::from_u8(layer.kind).is_none() {
                return bad(format!("couche de type {} inconnu", layer.kind));
            }
            for f in layer.features.iter() {
                if f.territory.to_native() >= nt {
                    return bad("géométrie : territoire hors limites".into());
                }
                for r in f.polygons.iter().flat_map(|p| p.rings.iter()).flat_map(|r| r.arcs.iter()) {
                    let r = r.to_native();
                    let arc = if r < 0 { !r } else { r } as usize;
                    if arc >= narcs {
                        return bad(format!("géométrie : arc {arc} hors limites"));
                    }
                }
            }
        }
        Ok(())
    }

    // ---- header -------------------------------------------------------

    pub fn build_date(&self) -> &str {
        self.data().header.build_date.as_str()
    }

    pub fn builder(&self) -> &str {
        self.data().header.builder.as_str()
    }

    // ---- territories ---------------------------------------------------

    pub fn territory_count(&self) -> usize {
        self.data().territories.len()
    }

    /// The territory at `index`, if any.
    pub fn territory(&self, index: u32) -> Option<TerritoryRef<'_>> {
        self.data().territories.get(index as usize).map(|t| TerritoryRef { pack: self, index, t })
    }

    pub fn territories(&self) -> impl Iterator<Item = TerritoryRef<'_>> + '_ {
        self.data().territories.iter().enumerate().map(move |(i, t)| TerritoryRef { pack: self, index: i as u32, t })
    }

    pub fn territories_of_kind(&self, kind: TerritoryKind) -> impl Iterator<Item = TerritoryRef<'_>> + '_ {
        self.territories().filter(move |t| t.kind() == kind)
    }

    /// Every territory whose official code is `code`, in kind order
    /// (France, région, département, EPCI, commune). `52` is both the
    /// Pays de la Loire and Haute-Marne; a `reg:` / `dep:` / `epci:` /
    /// `com:` prefix picks one kind.
    pub fn territories_by_code(&self, code: &str) -> Vec<TerritoryRef<'_>> {
        let code = code.trim();
        let (kind, code) = match code.split_once(':') {
            Some((k, c)) => match TerritoryKind::ALL.iter().find(|t| t.key().eq_ignore_ascii_case(k)) {
                Some(kind) => (Some(*kind), c.trim()),
                None => return Vec::new(),
            },
            None => (None, code),
        };
        // Official codes are digits and upper-case letters (`2A004`, `FRM`).
        let code = if code.eq_ignore_ascii_case("metro") { "FRM".to_string() } else { code.to_ascii_uppercase() };
        let code = code.as_str();
        let d = self.data();
        let index = &d.code_index;
        let start = index.partition_point(|i| d.territories[i.to_native() as usize].code.as_str() < code);
        let mut out: Vec<TerritoryRef<'_>> = index[start..]
            .iter()
            .map(|i| i.to_native())
            .take_while(|i| d.territories[*i as usize].code.as_str() == code)
            .filter_map(|i| self.territory(i))
            .filter(|t| kind.is_none_or(|k| t.kind() == k))
            .collect();
        crate::sort::by(&mut out, |a, b| a.kind().cmp(&b.kind()));
        out
    }

    /// The territory with this code. Where a code names several territories
    /// (`44` is Loire-Atlantique and the Grand Est région), the one in
    /// `context`'s hierarchy wins (for Nantes Métropole, `44` is its
    /// département and `52` its région); otherwise the département.
    pub fn territory_by_code(
        &self,
        code: &str,
        context: Option<TerritoryRef<'_>>,
    ) -> Result<TerritoryRef<'_>, PackError> {
        let found = self.territories_by_code(code);
        if found.len() > 1 {
            if let Some(ctx) = context {
                let related: Vec<u32> = ctx.departements().chain(ctx.regions()).map(|t| t.index).collect();
                if let Some(t) = found.iter().find(|t| related.contains(&t.index)) {
                    return Ok(*t);
                }
            }
            if let Some(t) = found.iter().find(|t| t.kind() == TerritoryKind::Departement) {
                return Ok(*t);
            }
        }
        found.into_iter().next().ok_or_else(|| PackError::UnknownTerritory(code.to_string()))
    }

    // ---- indicators ----------------------------------------------------

    pub fn indicators(&self) -> impl Iterator<Item = IndicatorRef<'_>> + '_ {
        self.data().indicators.iter().enumerate().map(move |(i, ind)| IndicatorRef { pack: self, index: i as u32, ind })
    }

    /// The indicator at `index` in the catalogue.
    pub fn indicator_at(&self, index: u32) -> Option<IndicatorRef<'_>> {
        self.data().indicators.get(index as usize).map(|ind| IndicatorRef { pack: self, index, ind })
    }

    pub fn indicator(&self, id: &str) -> Result<IndicatorRef<'_>, PackError> {
        self.find_indicator(id).ok_or_else(|| PackError::UnknownIndicator(id.to_string()))
    }

    /// The first indicator of the catalogue whose id is `id`.
    pub(crate) fn find_indicator(&self, id: &str) -> Option<IndicatorRef<'_>> {
        self.indicator_at(*self.index().by_id.get(id)?)
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::of(self.data()))
    }

    pub fn sources(&self) -> impl Iterator<Item = SourceRef<'_>> + '_ {
        self.data().sources.iter().map(|s| SourceRef { s })
    }

    /// All series of an indicator, oldest year first.
    pub fn series_of(&self, indicator: IndicatorRef<'_>) -> &[ArchivedSeries] {
        &self.data().series[self.series_range(indicator)]
    }

    /// The years an indicator has, oldest first.
    pub fn years(&self, indicator: IndicatorRef<'_>) -> Vec<u16> {
        self.series_of(indicator).iter().map(|s| s.year.to_native()).collect()
    }

    /// The range of [`Self::series_of`] within the pack's series (the
    /// series' indices identify them, e.g. to memoise figures).
    pub(crate) fn series_range(&self, indicator: IndicatorRef<'_>) -> std::ops::Range<usize> {
        self.index().series.get(indicator.index as usize).cloned().unwrap_or(0..0)
    }

    /// An observation of the series `s`, the territory's position in the series
    /// already found (`None`: not covered), borrowing the credit line from
    /// the pack: no allocation.
    fn observe_at<'a>(
        &'a self,
        indicator: IndicatorRef<'_>,
        s: &ArchivedSeries,
        at: Option<usize>,
    ) -> ObservationRef<'a> {
        let source = SourceRef { s: &self.data().sources[s.source.to_native() as usize] };
        let base = ObservationRef {
            year: s.year.to_native(),
            status: Status::NotAvailable,
            value: None,
            numerator: None,
            denominator: None,
            unit: indicator.unit(),
            source_label: source.label(),
            vintage: source.vintage(),
        };
        let Some(i) = at else { return base };
        let status = Status::from_u8(s.status[i]).unwrap_or(Status::NotAvailable);
        let value = decode_fixed(s.values[i].to_native(), s.scale).filter(|_| status.has_value());
        let (numerator, denominator) = if s.numerators.is_empty() {
            (None, None)
        } else {
            (
                decode_fixed(s.numerators[i].to_native(), s.fraction_scale),
                decode_fixed(s.denominators[i].to_native(), s.fraction_scale),
            )
        };
        ObservationRef { status, value, numerator, denominator, ..base }
    }

    /// The value of `indicator` for `territory` in `year`. `None` when the
    /// pack has no series for that year at all; a territory the series does
    /// not cover gets [`Status::NotAvailable`].
    pub fn value(&self, territory: TerritoryRef<'_>, indicator: IndicatorRef<'_>, year: u16) -> Option<Observation> {
        let series = self.series_at(indicator, year)?;
        Some(self.observe_series(territory, indicator, series).owned(territory, indicator))
    }

    /// The index (among the pack's series) of `indicator`'s series for
    /// `year`.
    pub(crate) fn series_at(&self, indicator: IndicatorRef<'_>, year: u16) -> Option<usize> {
        let range = self.series_range(indicator);
        let k = self.data().series[range.clone()].iter().position(|s| s.year.to_native() == year)?;
        Some(range.start + k)
    }

    /// [`Self::value`] of the series at `series` (from
    /// [`Self::series_at`]), without allocating.
    pub(crate) fn observe_series(
        &self,
        territory: TerritoryRef<'_>,
        indicator: IndicatorRef<'_>,
        series: usize,
    ) -> ObservationRef<'_> {
        let s = &self.data().series[series];
        let at = position(s, territory.index);
        self.observe_at(indicator, s, at)
    }

    /// The most recent figure of a territory: the latest year with a
    /// complete figure (a value, or a secret, bottom-coded or approximate
    /// one); failing that the latest partial one (an EPCI crossing the
    /// région's border in a PdL-only source: RP 2018 for all its communes
    /// says more than RP 2023 for some); failing that the latest year as
    /// "non disponible". `None` if the indicator has no series.
    pub fn latest(&self, territory: TerritoryRef<'_>, indicator: IndicatorRef<'_>) -> Option<Observation> {
        self.latest_ref(territory, indicator).map(|(_, o)| o.owned(territory, indicator))
    }

    /// [`Self::latest`] without allocating, with the series' index. It runs
    /// for every figure of every snapshot: the choice reads the status
    /// columns only, in one pass from the newest year, and each series'
    /// binary search is done once.
    pub(crate) fn latest_ref(
        &self,
        territory: TerritoryRef<'_>,
        indicator: IndicatorRef<'_>,
    ) -> Option<(usize, ObservationRef<'_>)> {
        let range = self.series_range(indicator);
        let series = &self.data().series[range.clone()];
        let newest = series.len().checked_sub(1)?;
        // (index in `series`, position of the territory in that series)
        let mut partial: Option<(usize, Option<usize>)> = None;
        let mut complete = None;
        for (k, s) in series.iter().enumerate().rev() {
            let at = position(s, territory.index);
            match at.map_or(Status::NotAvailable, |i| Status::from_u8(s.status[i]).unwrap_or(Status::NotAvailable)) {
                Status::NotAvailable => {}
                Status::Partial => {
                    partial = partial.or(Some((k, at)));
                }
                _ => {
                    complete = Some((k, at));
                    break;
                }
            }
        }
        let (k, at) = match complete.or(partial) {
            Some(pick) => pick,
            None => {
                let s = &series[newest];
                (newest, position(s, territory.index))
            }
        };
        Some((range.start + k, self.observe_at(indicator, &series[k], at)))
    }

    /// Every observation of a territory (every indicator and year), in
    /// catalogue order.
    pub fn observations(&self, territory: TerritoryRef<'_>) -> Vec<Observation> {
        let mut out = Vec::new();
        for ind in self.indicators() {
            for s in self.series_of(ind) {
                if let Some(i) = position(s, territory.index) {
                    out.push(self.observe_at(ind, s, Some(i)).owned(territory, ind));
                }
            }
        }
        out
    }
}

/// Where territory `t` is in series `s` (its territory column is strictly
/// increasing, checked on loading): a binary search within the only window
/// that can hold it. With strictly increasing integers, `t` sits at most
/// `t - first` after the start and at most `last - t` before the end, so
/// the window of a series covering most territories of a range is a few
/// entries wide (a snapshot reads a few thousand positions).
fn position(s: &ArchivedSeries, t: u32) -> Option<usize> {
    let col = &s.territories;
    let (first, last) = (col.first()?.to_native(), col.last()?.to_native());
    if t < first || t > last {
        return None;
    }
    let n = col.len();
    let from = (n - 1).saturating_sub((last - t) as usize);
    let to = (n - 1).min((t - first) as usize);
    // `from <= to` whenever the column is strictly increasing; `get` keeps
    // even a broken invariant from panicking.
    col.get(from..=to)?.binary_search_by_key(&t, |x| x.to_native()).ok().map(|i| from + i)
}

/// A territory of a loaded pack.
#[derive(Clone, Copy)]
pub struct TerritoryRef<'a> {
    pack: &'a Pack,
    pub index: u32,
    t: &'a ArchivedTerritory,
}

impl fmt::Debug for TerritoryRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({})", self.kind().key(), self.code(), self.name())
    }
}

impl PartialEq for TerritoryRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.pack, other.pack) && self.index == other.index
    }
}

impl<'a> TerritoryRef<'a> {
    pub fn code(&self) -> &'a str {
        self.t.code.as_str()
    }
    pub fn name(&self) -> &'a str {
        self.t.name.as_str()
    }
    pub fn kind(&self) -> TerritoryKind {
        TerritoryKind::from_u8(self.t.kind).unwrap_or(TerritoryKind::Commune)
    }
    /// `CC`, `CA`, `CU`, `ME` for EPCI, empty otherwise.
    pub fn epci_type(&self) -> &'a str {
        self.t.epci_type.as_str()
    }
    pub fn pdl(&self) -> PdlCoverage {
        PdlCoverage::from_u8(self.t.pdl).unwrap_or(PdlCoverage::Outside)
    }
    pub fn metro(&self) -> bool {
        self.t.metro
    }
    pub fn search_key(&self) -> &'a str {
        self.t.search_key.as_str()
    }
    /// Member towns' names, normalised for search, `|`-separated, same
    /// order as [`Self::alias_names`].
    pub fn aliases(&self) -> &'a str {
        self.pack.alias_keys().get(self.index as usize).map(String::as_str).unwrap_or("")
    }
    pub fn alias_names(&self) -> &'a str {
        self.t.alias_names.as_str()
    }
    /// An unambiguous key: `dep:44`, `reg:52`, `epci:244400404`...
    pub fn key(&self) -> String {
        format!("{}:{}", self.kind().key(), self.code())
    }
    /// Départements, majority first.
    pub fn departements(&self) -> impl Iterator<Item = TerritoryRef<'a>> + 'a {
        let pack = self.pack;
        self.t.departements.iter().filter_map(move |i| pack.territory(i.to_native()))
    }
    /// Régions, majority first.
    pub fn regions(&self) -> impl Iterator<Item = TerritoryRef<'a>> + 'a {
        let pack = self.pack;
        self.t.regions.iter().filter_map(move |i| pack.territory(i.to_native()))
    }
    /// A commune's EPCI.
    pub fn epci(&self) -> Option<TerritoryRef<'a>> {
        self.pack.territory(self.t.epci.to_native())
    }
    /// The default comparison territories: majority département, majority
    /// région, France métropolitaine (those that exist and differ from self).
    pub fn default_comparisons(&self) -> Vec<TerritoryRef<'a>> {
        let mut out: Vec<TerritoryRef<'a>> = Vec::new();
        let dep = self.departements().next();
        out.extend(dep);
        // A DROM is both a département and a région with the same name and
        // figures: comparing with both would show it twice.
        out.extend(self.regions().next().filter(|r| dep.is_none_or(|d| d.name() != r.name())));
        if self.metro() {
            out.extend(self.pack.territories_of_kind(TerritoryKind::Country).next());
        }
        out.retain(|t| t.index != self.index);
        out
    }
}

/// An indicator of the catalogue.
#[derive(Clone, Copy)]
pub struct IndicatorRef<'a> {
    #[allow(dead_code)]
    pack: &'a Pack,
    pub index: u32,
    ind: &'a ArchivedIndicator,
}

impl fmt::Debug for IndicatorRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl<'a> IndicatorRef<'a> {
    pub fn id(&self) -> &'a str {
        self.ind.id.as_str()
    }
    pub fn label(&self) -> &'a str {
        self.ind.label.as_str()
    }
    pub fn definition(&self) -> &'a str {
        self.ind.definition.as_str()
    }
    pub fn theme(&self) -> &'a str {
        self.ind.theme.as_str()
    }
    pub fn unit(&self) -> Unit {
        Unit::from_u8(self.ind.unit).unwrap_or(Unit::Number)
    }
    pub fn kind(&self) -> IndicatorKind {
        IndicatorKind::from_u8(self.ind.kind).unwrap_or(IndicatorKind::Count)
    }
}

/// A bibliographic source.
#[derive(Clone, Copy)]
pub struct SourceRef<'a> {
    s: &'a ArchivedSource,
}

impl<'a> SourceRef<'a> {
    pub fn id(&self) -> &'a str {
        self.s.id.as_str()
    }
    /// "Insee, Filosofi 2021"
    pub fn label(&self) -> &'a str {
        self.s.label.as_str()
    }
    pub fn producer(&self) -> &'a str {
        self.s.producer.as_str()
    }
    pub fn vintage(&self) -> &'a str {
        self.s.vintage.as_str()
    }
    pub fn geography(&self) -> &'a str {
        self.s.geography.as_str()
    }
    pub fn note(&self) -> &'a str {
        self.s.note.as_str()
    }
    pub fn files(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.s.files.iter().map(|f| f.as_str())
    }
}

/// One figure: a territory's indicator at one year, with its status and its
/// credit line.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Observation {
    pub territory: u32,
    pub indicator: u32,
    pub year: u16,
    pub status: Status,
    /// The number, when the status carries one.
    pub value: Option<f64>,
    /// For rates computed by the builder: Σ numerator and Σ denominator.
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub unit: Unit,
    /// "Source : " + this, e.g. "Insee, Filosofi 2021".
    pub source_label: String,
    /// The source's vintage as published ("2021", "1876-2023").
    pub vintage: String,
}

/// An [`Observation`] borrowing its credit line from the pack, for the
/// core's own use: a snapshot reads a few hundred figures and copies the
/// strings of those it keeps only.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ObservationRef<'a> {
    pub year: u16,
    pub status: Status,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub unit: Unit,
    pub source_label: &'a str,
    pub vintage: &'a str,
}

impl ObservationRef<'_> {
    fn owned(&self, territory: TerritoryRef<'_>, indicator: IndicatorRef<'_>) -> Observation {
        Observation {
            territory: territory.index,
            indicator: indicator.index,
            year: self.year,
            status: self.status,
            value: self.value,
            numerator: self.numerator,
            denominator: self.denominator,
            unit: self.unit,
            source_label: self.source_label.to_string(),
            vintage: self.vintage.to_string(),
        }
    }
}

impl Observation {
    /// The figure as shown: "12,8 %", "≤ 5 %", "secret statistique"...
    pub fn display(&self) -> String {
        crate::format::observation(self)
    }
}
