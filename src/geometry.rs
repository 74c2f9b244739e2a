//! Reading the pack's arc geometry (see [`crate::schema::Geometry`]).

/// Decodes one arc's interleaved coordinates, stored as a first absolute
/// point followed by steps, into absolute points in Lambert-93 metres.
///
/// ```
/// use territoire::geometry::decode_arc;
/// let steps = [700_000, 6_600_000, 50, -20, -10, 0];
/// assert_eq!(decode_arc(steps), vec![[700_000, 6_600_000], [700_050, 6_599_980], [700_040, 6_599_980]]);
/// ```
///
/// Takes plain `i32`s, so the archived form reads as
/// `decode_arc(coords.iter().map(|c| c.to_native()))`. An odd trailing
/// number is ignored; sums wrap rather than panic on a crafted pack.
pub fn decode_arc(coords: impl IntoIterator<Item = i32>) -> Vec<[i32; 2]> {
    let mut out: Vec<[i32; 2]> = Vec::new();
    decode_arc_into(coords, &mut out);
    out
}

/// [`decode_arc`] appended to `out` (no allocation when `out` has room):
/// the first point is absolute whatever `out` already holds.
///
/// ```
/// use territoire::geometry::decode_arc_into;
/// let mut out = vec![[1, 2]];
/// decode_arc_into([10, 20, 1, -1], &mut out);
/// assert_eq!(out, vec![[1, 2], [10, 20], [11, 19]]);
/// ```
pub fn decode_arc_into(coords: impl IntoIterator<Item = i32>, out: &mut Vec<[i32; 2]>) {
    let mut it = coords.into_iter();
    let mut last: Option<[i32; 2]> = None;
    while let (Some(x), Some(y)) = (it.next(), it.next()) {
        let at = match last {
            None => [x, y],
            Some([px, py]) => [px.wrapping_add(x), py.wrapping_add(y)],
        };
        out.push(at);
        last = Some(at);
    }
}
