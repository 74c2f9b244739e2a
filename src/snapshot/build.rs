//! Computes the nine panels from the pack.
//!
//! [`Ctx`] holds what every panel needs: the columns (study first, then the
//! comparisons) and memos of the figures per (indicator, column) and per
//! (series, column), so a figure shown as a key figure, in a chart and in
//! the table is read from the pack once. Panels are built
//! in [`super::panels`]; every French sentence comes from
//! [`super::sentences`].
//!
//! Figures are shared ([`Rc`]): most are only read (tables, sentences,
//! pyramids), and a copy is made only where the snapshot keeps one (key
//! figures, chart series).

use std::cell::RefCell;
use std::rc::Rc;

use super::model::{Snapshot, MAX_COMPARISONS};
use super::sentences::Place;
use crate::format;
use crate::pack::{IndicatorRef, ObservationRef, Pack, PackError, TerritoryRef};
use crate::report::{Figure, TerritoryInfo};
use crate::schema::{decode_fixed, Status, TerritoryKind, Unit};

/// Builds the snapshot of `study` compared with `comparisons` (the study
/// itself and duplicates are dropped, at most [`MAX_COMPARISONS`] kept).
pub fn build(pack: &Pack, study: TerritoryRef<'_>, comparisons: &[TerritoryRef<'_>]) -> Result<Snapshot, PackError> {
    let mut cols = vec![study];
    for c in comparisons {
        if cols.len() > MAX_COMPARISONS {
            break;
        }
        if !cols.contains(c) {
            cols.push(*c);
        }
    }
    let ctx = Ctx::new(pack, cols);
    let panels = super::panels::all(&ctx);
    Ok(Snapshot {
        study: TerritoryInfo::of(study, None),
        comparisons: ctx.cols[1..].iter().map(|c| TerritoryInfo::of(*c, None)).collect(),
        panels,
    })
}

/// What the panels read the pack through.
pub(super) struct Ctx<'p> {
    pub pack: &'p Pack,
    /// Study first, then the comparisons in the user's order.
    pub cols: Vec<TerritoryRef<'p>>,
    pub places: Vec<Place>,
    /// The figure of (series, column) at `series * cols + column`, once
    /// read: [`Ctx::latest`] and [`Ctx::at`] land on the same series.
    memo: RefCell<Vec<Option<Rc<Figure>>>>,
    /// [`Ctx::latest`]'s answer for (indicator, column) at
    /// `indicator * cols + column`: most figures are asked for several
    /// times (key figure, chart, table, pyramid), the pack is read once.
    latest_memo: RefCell<Vec<Option<Rc<Figure>>>>,
}

/// The status and value a computed figure shows: a value only if finite
/// and the status has one; a status claiming a value without one becomes
/// "non disponible".
pub(super) fn computed(status: Status, value: Option<f64>) -> (Status, Option<f64>) {
    let value = value.filter(|v| v.is_finite() && status.has_value());
    let status = if value.is_none() && status.has_value() { Status::NotAvailable } else { status };
    (status, value)
}

/// Two statuses combined into the one a computed figure carries: a missing
/// or secret input makes it missing; partial wins over approximate.
pub(super) fn combine(a: Status, b: Status) -> Status {
    use Status::*;
    match (a, b) {
        (NotAvailable, _) | (_, NotAvailable) | (Secret, _) | (_, Secret) => NotAvailable,
        (Partial, _) | (_, Partial) => Partial,
        (Approximate, _) | (_, Approximate) | (BottomCoded, _) | (_, BottomCoded) => Approximate,
        (Value, Value) => Value,
    }
}

impl<'p> Ctx<'p> {
    pub fn new(pack: &'p Pack, cols: Vec<TerritoryRef<'p>>) -> Ctx<'p> {
        let places = cols.iter().map(|t| Place::of(*t)).collect();
        let memo = RefCell::new(vec![None; pack.data().series.len() * cols.len()]);
        let latest_memo = RefCell::new(vec![None; pack.data().indicators.len() * cols.len()]);
        Ctx { pack, cols, places, memo, latest_memo }
    }

    pub fn study(&self) -> TerritoryRef<'p> {
        self.cols[0]
    }

    pub fn indicator(&self, id: &str) -> Option<IndicatorRef<'p>> {
        self.pack.find_indicator(id)
    }

    /// The figure in `memo` at `slot`, else made by `read` and kept there.
    fn memoised(memo: &RefCell<Vec<Option<Rc<Figure>>>>, slot: usize, read: impl FnOnce() -> Rc<Figure>) -> Rc<Figure> {
        if let Some(f) = memo.borrow().get(slot).and_then(Option::as_ref) {
            return f.clone();
        }
        let f = read();
        if let Some(s) = memo.borrow_mut().get_mut(slot) {
            *s = Some(f.clone());
        }
        f
    }

    /// The figure of column `col` in the pack's series at `series`.
    fn of_series(&self, col: usize, ind: IndicatorRef<'_>, series: usize) -> Rc<Figure> {
        Self::memoised(&self.memo, series * self.cols.len() + col, || {
            Rc::new(Figure::with_ref(ind, &self.pack.observe_series(self.cols[col], ind, series)))
        })
    }

    /// "non disponible" for an indicator the pack lacks at `year`.
    fn missing(&self, id: &str, year: u16) -> Figure {
        let ind = self.indicator(id);
        let unit = ind.map(|i| i.unit()).unwrap_or(Unit::Number);
        Figure {
            indicator: id.to_string(),
            label: ind.map(|i| i.label().to_string()).unwrap_or_else(|| id.to_string()),
            unit: unit.key(),
            kind: ind.map(|i| i.kind().key()).unwrap_or("count"),
            year,
            status: Status::NotAvailable,
            status_label: Status::NotAvailable.label_fr(),
            value: None,
            numerator: None,
            denominator: None,
            text: Status::NotAvailable.label_fr().to_string(),
            source: String::new(),
            vintage: String::new(),
        }
    }

    /// The most recent figure of column `col` ([`Pack::latest`]).
    pub fn latest(&self, col: usize, id: &str) -> Rc<Figure> {
        match self.indicator(id) {
            Some(ind) => self.latest_of(col, ind),
            None => Rc::new(self.missing(id, 0)),
        }
    }

    /// What [`Ctx::latest`] reads, without making a figure of it: for
    /// figures only computed with (the pyramid's bands). A missing
    /// indicator or series reads as [`Ctx::missing`]'s figure does.
    pub fn latest_obs(&self, col: usize, id: &str) -> ObservationRef<'p> {
        let o = self.indicator(id).and_then(|ind| self.pack.latest_ref(self.cols[col], ind));
        o.map_or(
            ObservationRef {
                year: 0,
                status: Status::NotAvailable,
                value: None,
                numerator: None,
                denominator: None,
                unit: Unit::Number,
                source_label: "",
                vintage: "",
            },
            |(_, o)| o,
        )
    }

    /// [`Ctx::latest`] for every column (the id looked up once).
    pub fn latest_all(&self, id: &str) -> Vec<Rc<Figure>> {
        let ind = self.indicator(id);
        (0..self.cols.len())
            .map(|col| match ind {
                Some(ind) => self.latest_of(col, ind),
                None => Rc::new(self.missing(id, 0)),
            })
            .collect()
    }

    fn latest_of(&self, col: usize, ind: IndicatorRef<'_>) -> Rc<Figure> {
        Self::memoised(&self.latest_memo, ind.index as usize * self.cols.len() + col, || {
            match self.pack.latest_ref(self.cols[col], ind) {
                Some((series, o)) => {
                    Self::memoised(&self.memo, series * self.cols.len() + col, || Rc::new(Figure::with_ref(ind, &o)))
                }
                None => Rc::new(self.missing(ind.id(), 0)),
            }
        })
    }

    /// The figure of column `col` in `year` ("non disponible" if none).
    pub fn at(&self, col: usize, id: &str, year: u16) -> Rc<Figure> {
        match self.indicator(id).and_then(|ind| Some((ind, self.pack.series_at(ind, year)?))) {
            Some((ind, series)) => self.of_series(col, ind, series),
            None => Rc::new(self.missing(id, year)),
        }
    }

    /// The years the pack has for an indicator, oldest first.
    pub fn years(&self, id: &str) -> Vec<u16> {
        self.indicator(id).map(|i| self.pack.years(i)).unwrap_or_default()
    }

    /// A figure computed here (persons per household, shares), formatted
    /// like the pack's.
    #[allow(clippy::too_many_arguments)]
    pub fn derived(
        &self,
        id: &str,
        label: &str,
        unit: Unit,
        year: u16,
        status: Status,
        value: Option<f64>,
        num_den: Option<(f64, f64)>,
        source: &str,
    ) -> Figure {
        let (status, value) = computed(status, value);
        Figure {
            indicator: id.to_string(),
            label: label.to_string(),
            unit: unit.key(),
            kind: match unit {
                Unit::Percent => "rate",
                _ => "amount",
            },
            year,
            status,
            status_label: status.label_fr(),
            value,
            numerator: num_den.map(|n| n.0),
            denominator: num_den.map(|n| n.1),
            text: format::shown(status, value, unit),
            source: source.to_string(),
            vintage: year.to_string(),
        }
    }

    /// The comparison column a sentence compares the study with, for
    /// figures `figs` (one per column): the first comparison of a higher
    /// level (département, région, France for an EPCI) whose figure can be
    /// compared, else the first comparison that has one.
    pub fn reference(&self, figs: &[Rc<Figure>]) -> Option<usize> {
        let study_kind = self.study().kind();
        let usable = |i: &usize| {
            figs.get(*i).is_some_and(|f| matches!(f.status, Status::Value | Status::Approximate | Status::BottomCoded))
        };
        let higher = (1..self.cols.len()).filter(|i| self.cols[*i].kind() < study_kind).find(usable);
        higher.or_else(|| (1..self.cols.len()).find(usable))
    }

    /// The study's rank for `id` in `year` among the territories of its
    /// kind in its (majority) région, or among the régions for a région:
    /// (rank, count, tie). Territories with a value or bottom-coded count;
    /// secret and missing ones are left out. Rank 1 is the highest value;
    /// bottom-coded rates ("≤ 5 %") rank below every published rate and tie
    /// with each other.
    pub fn rank(&self, id: &str, year: u16) -> Option<(usize, usize, bool)> {
        let study = self.study();
        let kind = study.kind();
        if !matches!(kind, TerritoryKind::Epci | TerritoryKind::Departement | TerritoryKind::Region) {
            return None;
        }
        let region = study.regions().next().map(|r| r.index);
        let ind = self.indicator(id)?;
        let series = self.pack.series_of(ind).iter().find(|s| s.year.to_native() == year)?;
        let mut values = Vec::new();
        let mut own = None;
        for (i, t) in series.territories.iter().enumerate() {
            let Some(t) = self.pack.territory(t.to_native()) else { continue };
            if t.kind() != kind || (kind != TerritoryKind::Region && t.regions().next().map(|r| r.index) != region) {
                continue;
            }
            if kind == TerritoryKind::Region && !t.metro() {
                continue;
            }
            let status = Status::from_u8(series.status[i]).unwrap_or(Status::NotAvailable);
            let Some(v) = decode_fixed(series.values[i].to_native(), series.scale) else { continue };
            // "≤ 5 %" is stored as 5: it sorts with the lowest and ties.
            let v = match status {
                Status::Value => v,
                Status::BottomCoded => f64::NEG_INFINITY,
                _ => continue,
            };
            if t.index == study.index {
                own = Some(v);
            }
            values.push(v);
        }
        let own = own?;
        let above = values.iter().filter(|v| **v > own).count();
        let tie = values.iter().filter(|v| **v == own).count() > 1;
        Some((above + 1, values.len(), tie))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combined_statuses() {
        use Status::*;
        assert_eq!(combine(Value, Value), Value);
        assert_eq!(combine(Value, Approximate), Approximate);
        assert_eq!(combine(Partial, Approximate), Partial);
        assert_eq!(combine(Partial, Secret), NotAvailable);
        assert_eq!(combine(NotAvailable, Value), NotAvailable);
    }
}
