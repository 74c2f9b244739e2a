//! Finding territories by name the way people type them: without accents,
//! capitals or hyphens, without "Communauté de communes du", and by the name
//! of a member town ("sable" finds the Pays Sabolien through
//! Sablé-sur-Sarthe).
//!
//! Keys are normalised once in the builder ([`name_key`]) and stored in the
//! pack; a query is normalised the same way and scored token by token.

use crate::pack::{Pack, TerritoryRef};
use crate::schema::TerritoryKind;

/// Lower-case ASCII letters and digits, one space between words, accents
/// removed ("Sablé-sur-Sarthe" → "sable sur sarthe", "L'Île-d'Yeu" →
/// "l ile d yeu").
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars() {
        let mapped: &str = match c {
            'a'..='z' | '0'..='9' => {
                out.push(c);
                space = false;
                continue;
            }
            'A'..='Z' => {
                out.push(c.to_ascii_lowercase());
                space = false;
                continue;
            }
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
            'æ' | 'Æ' => "ae",
            'ç' | 'Ç' => "c",
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
            'ñ' | 'Ñ' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => "o",
            'œ' | 'Œ' => "oe",
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
            'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
            _ => " ",
        };
        if mapped == " " {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push_str(mapped);
            space = false;
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Legal forms dropped from the front of EPCI names, already normalised,
/// longest first.
const LEGAL_FORMS: [&str; 8] = [
    "communaute d agglomeration",
    "communaute de communes",
    "communaute urbaine",
    "metropole d",
    "metropole de",
    "cc",
    "ca",
    "cu",
];

/// Words too common to tell names apart.
const STOP_WORDS: [&str; 12] = ["de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "a", "au"];

/// The search key of a name: normalised, without legal form and stop words
/// ("Communauté de communes du Pays Sabolien" → "pays sabolien").
pub fn name_key(name: &str) -> String {
    let mut n = normalize(name);
    for form in LEGAL_FORMS {
        if let Some(rest) = n.strip_prefix(form) {
            if rest.is_empty() || rest.starts_with(' ') {
                n = rest.trim_start().to_string();
                break;
            }
        }
    }
    let words: Vec<&str> = n.split(' ').filter(|w| !w.is_empty() && !STOP_WORDS.contains(w)).collect();
    if words.is_empty() {
        n
    } else {
        words.join(" ")
    }
}

/// How well `query` tokens match a key's words: 3 per exact word, 2 per
/// word prefix, 1 per inner substring (three letters or more); `None`
/// unless every query token matches somewhere.
fn score_tokens(query: &[&str], key: &str) -> Option<u32> {
    let mut total = 0;
    for q in query {
        let mut best = 0;
        for w in key.split(' ') {
            let s = if w == *q {
                3
            } else if w.starts_with(q) {
                2
            } else if q.len() >= 3 && w.contains(q) {
                1
            } else {
                0
            };
            best = best.max(s);
        }
        if best == 0 {
            return None;
        }
        total += best;
    }
    Some(total)
}

/// A search hit.
#[derive(Debug, Clone)]
pub struct Match<'a> {
    pub territory: TerritoryRef<'a>,
    /// Higher is better.
    pub score: u32,
    /// The member town through which it matched, as written
    /// ("Sablé-sur-Sarthe"), if not by its own name.
    pub via: Option<String>,
}

/// Territories matching `query`, best first. `kinds` restricts the kinds
/// searched (empty: all). A query that is a code (`244400404`, `44`,
/// `dep:44`) finds that territory first.
pub fn search<'a>(pack: &'a Pack, query: &str, kinds: &[TerritoryKind], limit: usize) -> Vec<Match<'a>> {
    let allowed = |k: TerritoryKind| kinds.is_empty() || kinds.contains(&k);
    let mut out: Vec<Match<'a>> = pack
        .territories_by_code(query)
        .into_iter()
        .filter(|t| allowed(t.kind()))
        .map(|t| Match { territory: t, score: u32::MAX, via: None })
        .collect();
    let by_code: Vec<u32> = out.iter().map(|m| m.territory.index).collect();
    let key = name_key(query);
    let tokens: Vec<&str> = key.split(' ').filter(|t| !t.is_empty()).collect();
    if !tokens.is_empty() {
        for t in pack.territories() {
            if !allowed(t.kind()) || by_code.contains(&t.index) {
                continue;
            }
            // Own name: up to 10× per token; exact full name gets a bonus.
            let own = score_tokens(&tokens, t.search_key()).map(|s| {
                s * 10
                    + if t.search_key() == key { 50 } else { 0 }
                    + if t.search_key().starts_with(tokens[0]) { 5 } else { 0 }
            });
            // Member towns: the first (most populous) counts more.
            let mut alias_score = None;
            let mut best_rank = None;
            for (rank, alias) in t.aliases().split('|').enumerate().filter(|(_, a)| !a.is_empty()) {
                if let Some(s) = score_tokens(&tokens, alias) {
                    let s = s * if rank == 0 { 9 } else { 6 } + if alias == key { 20 } else { 0 };
                    if alias_score.is_none_or(|b| s > b) {
                        alias_score = Some(s);
                        best_rank = Some(rank);
                    }
                }
            }
            // The town as written, for "via Sablé-sur-Sarthe".
            let via = best_rank.and_then(|r| t.alias_names().split('|').nth(r)).map(str::to_string);
            let (score, via) = match (own, alias_score) {
                (Some(o), Some(a)) if a > o => (a, via),
                (Some(o), _) => (o, None),
                (None, Some(a)) => (a, via),
                (None, None) => continue,
            };
            out.push(Match { territory: t, score, via });
        }
    }
    // Best score first; then larger territories (France, région...) before
    // smaller ones, then shorter names.
    crate::sort::by(&mut out, |a, b| {
        b.score
            .cmp(&a.score)
            .then(a.territory.kind().cmp(&b.territory.kind()))
            .then(a.territory.name().len().cmp(&b.territory.name().len()))
    });
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_accents_case_and_punctuation() {
        assert_eq!(normalize("Sablé-sur-Sarthe"), "sable sur sarthe");
        assert_eq!(normalize("  L'Île-d'Yeu "), "l ile d yeu");
        assert_eq!(normalize("CŒUR DE LOIRE"), "coeur de loire");
    }

    #[test]
    fn name_key_drops_legal_form_and_stop_words() {
        assert_eq!(name_key("Communauté de communes du Pays Sabolien"), "pays sabolien");
        assert_eq!(
            name_key("Communauté d'agglomération de la Presqu'île de Guérande Atlantique (Cap Atlantique)"),
            "presqu ile guerande atlantique cap atlantique"
        );
        assert_eq!(name_key("Nantes Métropole"), "nantes metropole");
        assert_eq!(name_key("CC Faucigny - Glières"), "faucigny glieres");
        // A name made only of stop words keeps them.
        assert_eq!(name_key("Le"), "le");
    }

    #[test]
    fn token_scores_prefer_exact_then_prefix() {
        assert_eq!(score_tokens(&["sable"], "sable sur sarthe"), Some(3));
        assert_eq!(score_tokens(&["sable"], "sables olonne agglomeration"), Some(2));
        assert_eq!(score_tokens(&["olonne"], "sablesolonne"), Some(1));
        assert_eq!(score_tokens(&["sable", "x"], "sable"), None);
    }
}
