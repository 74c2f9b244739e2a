//! The infographics end to end on hand-made panels: panel → scene → SVG,
//! with hostile names, every status, long names; and reference files.

mod common;

use common::{assert_reference, check_svg, overflowing_texts, texts};
use territoire::infographic;
use territoire::render::svg::to_svg;
use territoire::render::text;
use territoire::report::Figure;
use territoire::scene::{Fill, Item, Scene, Weight};
use territoire::snapshot::{Chart, DataTable, FigureSeries, KeyFigure, Panel, PyramidSide};
use territoire::Status;

const LONG_NAME: &str = "Communauté d'agglomération Presqu'île de Guérande Atlantique";
const HOSTILE: [&str; 3] = ["<script>alert(1)</script>", "]]>", "\"'&"];

fn fig(indicator: &str, status: Status, value: Option<f64>, text: &str, unit: &'static str) -> Figure {
    Figure {
        indicator: indicator.into(),
        label: indicator.into(),
        unit,
        kind: "rate",
        year: 2021,
        status,
        status_label: status.label_fr(),
        value,
        numerator: None,
        denominator: None,
        text: text.into(),
        source: "Insee, Filosofi 2021".into(),
        vintage: "2021".into(),
    }
}

fn pct(indicator: &str, v: f64) -> Figure {
    fig(indicator, Status::Value, Some(v), &format!("{}\u{a0}%", format!("{v:.1}").replace('.', ",")), "%")
}

fn secret(indicator: &str) -> Figure {
    fig(indicator, Status::Secret, None, "secret statistique", "%")
}

fn missing(indicator: &str) -> Figure {
    fig(indicator, Status::NotAvailable, None, "non disponible", "%")
}

fn bottom(indicator: &str) -> Figure {
    fig(indicator, Status::BottomCoded, Some(5.0), "≤\u{a0}5\u{a0}%", "%")
}

fn table() -> DataTable {
    DataTable { caption: "Tableau".into(), columns: vec!["Territoire".into()], rows: vec![] }
}

/// Poverty: bars with every status, a 60-character study name and hostile
/// comparison names.
fn poverty_panel() -> Panel {
    assert_eq!(LONG_NAME.chars().count(), 60);
    let names = [LONG_NAME, "Loire-Atlantique", HOSTILE[0], HOSTILE[1], HOSTILE[2]];
    let rows: [[Figure; 3]; 5] = [
        [pct("taux_pauvrete", 9.8), secret("taux_pauvrete_moins_30"), pct("taux_pauvrete_75_plus", 7.1)],
        [pct("taux_pauvrete", 11.2), pct("taux_pauvrete_moins_30", 19.4), pct("taux_pauvrete_75_plus", 8.3)],
        [pct("taux_pauvrete", 14.5), missing("taux_pauvrete_moins_30"), bottom("taux_pauvrete_75_plus")],
        [pct("taux_pauvrete", 14.9), pct("taux_pauvrete_moins_30", 22.0), pct("taux_pauvrete_75_plus", 10.6)],
        [pct("taux_pauvrete", 0.0), pct("taux_pauvrete_moins_30", 25.3), pct("taux_pauvrete_75_plus", 9.9)],
    ];
    let series = names
        .iter()
        .zip(rows)
        .enumerate()
        .map(|(i, (name, figures))| FigureSeries { name: name.to_string(), study: i == 0, figures: figures.to_vec() })
        .collect();
    Panel {
        id: "pauvrete".into(),
        number: 8,
        title: "Pauvreté".into(),
        key_figures: vec![
            KeyFigure {
                label: "Taux de pauvreté 2021".into(),
                figure: pct("taux_pauvrete", 9.8),
                note: "-1,4 point par rapport à la Loire-Atlantique".into(),
            },
            KeyFigure {
                label: "Taux de pauvreté des moins de 30 ans".into(),
                figure: secret("taux_pauvrete_moins_30"),
                note: String::new(),
            },
            KeyFigure {
                label: "Taux de pauvreté des 75 ans ou plus".into(),
                figure: bottom("taux_pauvrete_75_plus"),
                note: "seuil de diffusion".into(),
            },
        ],
        charts: vec![Chart::Bars {
            title: "Taux de pauvreté au seuil de 60 % du niveau de vie médian, en 2021".into(),
            unit: "%".into(),
            categories: vec![
                "Ensemble".into(),
                "Ménages dont le référent fiscal a moins de 30 ans".into(),
                "Ménages dont le référent fiscal a 75 ans ou plus".into(),
            ],
            series,
        }],
        sentences: vec![
            format!("En 2021, 9,8 % des habitants de {LONG_NAME} vivent sous le seuil de pauvreté, soit 1,4 point de moins qu'en Loire-Atlantique."),
            "Le taux des moins de 30 ans est couvert par le secret statistique.".into(),
        ],
        sources: vec!["Source : Insee, Filosofi 2021".into()],
        table: table(),
    }
}

fn pyramid_side(name: &str, shift: f64) -> PyramidSide {
    let men: Vec<f64> = (0..20).map(|i| (3.4 - (i as f64 - 6.0).abs() * 0.17 + shift).max(0.05)).collect();
    let women: Vec<f64> = men.iter().enumerate().map(|(i, v)| v + i as f64 * 0.02).collect();
    PyramidSide { name: name.into(), men, women }
}

fn ages_panel() -> Panel {
    let bands: Vec<String> =
        (0..19).map(|i| format!("{}-{}", i * 5, i * 5 + 4)).chain(std::iter::once("95+".to_string())).collect();
    Panel {
        id: "ages".into(),
        number: 2,
        title: "Âges de la population".into(),
        key_figures: vec![
            KeyFigure {
                label: "Part des moins de 20 ans".into(),
                figure: pct("part_moins_20", 23.9),
                note: "+1,2 point par rapport à la région".into(),
            },
            KeyFigure {
                label: "Part des 65 ans ou plus".into(),
                figure: pct("part_65_plus", 21.4),
                note: String::new(),
            },
            KeyFigure {
                label: "Indice de vieillissement".into(),
                figure: fig("indice_vieillissement", Status::Value, Some(89.6), "89,6", "indice"),
                note: String::new(),
            },
            KeyFigure {
                label: "Population 2021".into(),
                figure: fig("population", Status::Value, Some(3_907_156.0), "3\u{a0}907\u{a0}156\u{a0}hab.", "hab."),
                note: String::new(),
            },
        ],
        charts: vec![Chart::Pyramid {
            title: "Pyramide des âges en 2021".into(),
            bands,
            study: pyramid_side("Nantes Métropole", 0.1),
            comparison: Some(pyramid_side("Pays de la Loire", -0.2)),
            status: pct("population", 100.0),
        }],
        sentences: vec![
            "Les 20-29 ans sont plus nombreux qu'en Pays de la Loire : c'est une métropole étudiante.".into()
        ],
        sources: vec!["Source : Insee, RP 2021".into()],
        table: table(),
    }
}

fn lines_panel() -> Panel {
    let years: Vec<u16> = (2012..=2021).collect();
    let series_of = |name: &str, study: bool, base: f64, gaps: &[u16]| FigureSeries {
        name: name.into(),
        study,
        figures: years
            .iter()
            .map(|y| {
                if gaps.contains(y) {
                    missing("taux_chomage")
                } else {
                    pct("taux_chomage", base + ((*y as f64 - 2012.0) * 0.7).sin() * 1.3)
                }
            })
            .collect(),
    };
    Panel {
        id: "emploi".into(),
        number: 5,
        title: "Emploi et chômage des habitants de l'intercommunalité comparés à ceux du département".into(),
        key_figures: vec![
            KeyFigure { label: "Taux de chômage 2021".into(), figure: pct("taux_chomage", 7.9), note: String::new() },
            KeyFigure {
                label: "Emplois salariés privés".into(),
                figure: missing("emplois_prives"),
                note: "source couvrant les Pays de la Loire seulement".into(),
            },
        ],
        charts: vec![Chart::Lines {
            title: "Taux de chômage au sens du recensement".into(),
            unit: "%".into(),
            years: years.clone(),
            series: vec![
                series_of("CA Clisson Sèvre et Maine Agglo", true, 7.5, &[2015, 2016]),
                series_of("Loire-Atlantique", false, 9.0, &[]),
                series_of(HOSTILE[0], false, 10.5, &[2012, 2021]),
            ],
        }],
        sentences: vec![],
        sources: vec!["Source : Insee, RP 2012 à 2021".into(), "Source : Urssaf, 2021".into()],
        table: table(),
    }
}

/// A panel the data left empty: nothing but statuses.
fn empty_panel() -> Panel {
    Panel {
        id: "logement".into(),
        number: 6,
        title: "Logement".into(),
        key_figures: vec![KeyFigure {
            label: "Part des résidences secondaires".into(),
            figure: missing("part_res_secondaires"),
            note: String::new(),
        }],
        charts: vec![
            Chart::Pyramid {
                title: "Pyramide des âges".into(),
                bands: vec![],
                study: PyramidSide { name: "X".into(), men: vec![], women: vec![] },
                comparison: None,
                status: missing("population"),
            },
            Chart::Lines { title: "Évolution".into(), unit: "€".into(), years: vec![2020], series: vec![] },
        ],
        sentences: vec![],
        sources: vec![],
        table: table(),
    }
}

fn panels() -> Vec<Panel> {
    vec![poverty_panel(), ages_panel(), lines_panel(), empty_panel()]
}

fn all_items(items: &[Item]) -> Vec<&Item> {
    let mut out = Vec::new();
    for item in items {
        out.push(item);
        if let Item::Group { items, .. } = item {
            out.extend(all_items(items));
        }
    }
    out
}

fn ids(scene: &Scene) -> Vec<String> {
    all_items(&scene.items)
        .into_iter()
        .filter_map(|i| match i {
            Item::Rect { id, .. } | Item::Circle { id, .. } | Item::Path { id, .. } => id.clone(),
            _ => None,
        })
        .collect()
}

fn rect_width(scene: &Scene, id: &str) -> Option<f64> {
    all_items(&scene.items).into_iter().find_map(|i| match i {
        Item::Rect { id: Some(d), width, .. } if d == id => Some(*width),
        _ => None,
    })
}

#[test]
fn svg_parses_and_is_safe() {
    for panel in panels() {
        let svg = to_svg(&infographic::render(&panel));
        check_svg(&svg).unwrap_or_else(|e| panic!("panel {}: {e}", panel.id));
        assert!(!svg.contains("<script"), "{svg}");
        let doc = roxmltree::Document::parse(&svg).unwrap();
        assert_eq!(doc.root_element().attribute("role"), Some("img"));
        let title = doc.descendants().find(|n| n.has_tag_name("title")).and_then(|n| n.text()).unwrap_or("");
        assert!(title.contains(&panel.title), "{title}");
    }
}

#[test]
fn hostile_names_come_back_as_text() {
    let svg = to_svg(&infographic::render(&poverty_panel()));
    assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(svg.contains("]]&gt;"));
    assert!(svg.contains("&quot;&apos;&amp;"));
    // Parsed back, the names are the original strings, as text and data ids.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let shown: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).collect();
    let ids: Vec<&str> = doc.descendants().filter_map(|n| n.attribute("data-id")).collect();
    for name in HOSTILE {
        assert!(shown.contains(&name), "{name} missing from {shown:?}");
        assert!(ids.iter().any(|id| id.ends_with(&format!("/{name}"))), "{name} not in {ids:?}");
    }
    // No element may carry a data id as its `id`.
    assert!(doc.descendants().filter_map(|n| n.attribute("id")).all(|id| !id.contains('/')));
}

#[test]
fn a_figure_without_value_draws_no_bar_but_says_why() {
    let panel = poverty_panel();
    let scene = infographic::render(&panel);
    let ids = ids(&scene);
    // The study's secret and the hostile comparison's missing value: no bar.
    assert!(!ids.contains(&format!("pauvrete/taux_pauvrete_moins_30/{LONG_NAME}")), "{ids:?}");
    assert!(!ids.contains(&format!("pauvrete/taux_pauvrete_moins_30/{}", HOSTILE[0])));
    // The others have theirs; a published zero is a bar of width 0.
    assert!(rect_width(&scene, "pauvrete/taux_pauvrete_moins_30/Loire-Atlantique").unwrap() > 50.0);
    assert_eq!(rect_width(&scene, &format!("pauvrete/taux_pauvrete/{}", HOSTILE[2])), Some(0.0));
    let all_texts: Vec<String> = texts(&scene.items)
        .into_iter()
        .filter_map(|t| if let Item::Text { text, .. } = t { Some(text.clone()) } else { None })
        .collect();
    assert!(all_texts.iter().any(|t| t == "secret statistique"), "{all_texts:?}");
    assert!(all_texts.iter().any(|t| t == "non disponible"));
    assert!(all_texts.iter().any(|t| t == "≤\u{a0}5\u{a0}%"));
    // "≤ 5 %" is a ceiling: drawn hatched, not as a measured bar.
    let bottom_id = format!("pauvrete/taux_pauvrete_75_plus/{}", HOSTILE[0]);
    let fill = all_items(&scene.items).into_iter().find_map(|i| match i {
        Item::Rect { id: Some(d), fill, .. } if *d == bottom_id => Some(*fill),
        _ => None,
    });
    assert!(matches!(fill, Some(Fill::Hatched { .. })), "{fill:?}");
    // Bars are proportional to their values.
    let a = rect_width(&scene, "pauvrete/taux_pauvrete/Loire-Atlantique").unwrap();
    let b = rect_width(&scene, &format!("pauvrete/taux_pauvrete/{}", HOSTILE[1])).unwrap();
    assert!((a / b - 11.2 / 14.9).abs() < 1e-9);
}

#[test]
fn every_text_fits_inside_the_scene() {
    for panel in panels() {
        let scene = infographic::render(&panel);
        let bad = overflowing_texts(&scene);
        assert!(bad.is_empty(), "panel {}: {bad:#?}", panel.id);
    }
    // The long study name still appears in full somewhere (wrapped in the
    // sentence), and the legend shows it in full or shortened with "…".
    let scene = infographic::render(&poverty_panel());
    let t: Vec<String> = texts(&scene.items)
        .into_iter()
        .filter_map(|t| if let Item::Text { text, .. } = t { Some(text.clone()) } else { None })
        .collect();
    assert!(t.iter().any(|s| s == LONG_NAME || (s.ends_with('…') && LONG_NAME.starts_with(s.trim_end_matches('…')))));
}

#[test]
fn long_titles_and_names_wrap_in_narrow_panels() {
    let mut panel = poverty_panel();
    panel.title = "Pauvreté et précarité monétaire des ménages selon l'âge du référent fiscal et le type de ménage, comparées aux territoires de référence".into();
    for s in &mut panel.sentences {
        *s = s.replace(' ', "\u{a0}"); // one unbreakable 150-character word
    }
    let scene = infographic::render(&panel);
    assert!(overflowing_texts(&scene).is_empty(), "{:#?}", overflowing_texts(&scene));
    assert!(text::width(&panel.title, 17.0, Weight::Bold) > scene.width);
}

#[test]
fn pyramid_and_lines_carry_data_ids() {
    let scene = infographic::render(&ages_panel());
    let ids = self::ids(&scene);
    assert_eq!(ids.iter().filter(|i| i.ends_with("/Nantes Métropole")).count(), 40, "{ids:?}");
    assert!(ids.contains(&"ages/95+ femmes/Nantes Métropole".to_string()));
    // Men are left of the axis, women right.
    let men = all_items(&scene.items).into_iter().find_map(|i| match i {
        Item::Rect { id: Some(d), x, width, .. } if d == "ages/20-24 hommes/Nantes Métropole" => Some(x + width),
        _ => None,
    });
    let women = all_items(&scene.items).into_iter().find_map(|i| match i {
        Item::Rect { id: Some(d), x, .. } if d == "ages/20-24 femmes/Nantes Métropole" => Some(*x),
        _ => None,
    });
    assert!(men.unwrap() < women.unwrap());

    let scene = infographic::render(&lines_panel());
    let ids = self::ids(&scene);
    // Ten years, two gaps for the study, two for the hostile comparison.
    assert_eq!(ids.iter().filter(|i| i.starts_with("emploi/taux_chomage ")).count(), 30 - 4, "{ids:?}");
    assert!(!ids.contains(&"emploi/taux_chomage 2015/CA Clisson Sèvre et Maine Agglo".to_string()));
    // The study's line is broken in two pieces around the gap.
    let study_path = all_items(&scene.items).into_iter().find_map(|i| match i {
        Item::Path { commands, stroke: Some(s), .. } if s.width == 2.5 => Some(commands.clone()),
        _ => None,
    });
    let moves = study_path.unwrap().iter().filter(|c| matches!(c, territoire::scene::PathCmd::MoveTo(..))).count();
    assert_eq!(moves, 2);
}

#[test]
fn empty_data_says_so() {
    let scene = infographic::render(&empty_panel());
    let svg = to_svg(&scene);
    check_svg(&svg).unwrap();
    assert!(ids(&scene).is_empty());
    assert!(svg.matches("non disponible").count() >= 2, "{svg}");
}

#[test]
fn layout_is_deterministic_and_grows_with_content() {
    for panel in panels() {
        let a = to_svg(&infographic::render(&panel));
        let b = to_svg(&infographic::render(&panel.clone()));
        assert_eq!(a, b);
    }
    let short = infographic::render(&empty_panel());
    let long = infographic::render(&poverty_panel());
    assert!(long.height > short.height + 200.0, "{} vs {}", long.height, short.height);
    // Two panels in one page never share a pattern id.
    let p1 = to_svg(&infographic::render(&poverty_panel()));
    let mut other = poverty_panel();
    other.number = 9;
    let p2 = to_svg(&infographic::render(&other));
    let pattern_id = |svg: &str| svg.split("<pattern id=\"").nth(1).map(|s| s[..s.find('"').unwrap()].to_string());
    assert!(pattern_id(&p1).is_some());
    assert_ne!(pattern_id(&p1), pattern_id(&p2));
}

#[test]
fn reference_files() {
    assert_reference("pauvrete_hostile", &to_svg(&infographic::render(&poverty_panel())));
    assert_reference("ages_pyramid", &to_svg(&infographic::render(&ages_panel())));
    assert_reference("emploi_lines", &to_svg(&infographic::render(&lines_panel())));
    assert_reference("logement_empty", &to_svg(&infographic::render(&empty_panel())));
}

#[test]
fn reference_normalisation_ignores_noise_only() {
    let a = "<svg>\n  <rect x=\"10.04\" y=\"-0.01\" fill=\"#1b3f6b\"/><path d=\"M12.51 3L4 5\"/></svg>";
    let b = "<svg><rect x=\"10.01\" y=\"0\" fill=\"#1b3f6b\"/>  <path d=\"M12.49 3L4.02 5\"/></svg>";
    assert_eq!(common::normalize(a), common::normalize(b));
    let c = "<svg><rect x=\"10.3\" y=\"0\" fill=\"#1b3f6b\"/><path d=\"M12.5 3L4 5\"/></svg>";
    assert_ne!(common::normalize(a), common::normalize(c));
    let d = "<svg><rect x=\"10\" y=\"0\" fill=\"#1b3f6c\"/><path d=\"M12.5 3L4 5\"/></svg>";
    assert_ne!(common::normalize(a), common::normalize(d));
    // The scene-hash id prefix is not compared, the rest of an id is.
    let e = "<svg><title id=\"h0000abcd-t\">T</title><rect fill=\"url(#h0000abcd-0)\"/></svg>";
    let f = "<svg><title id=\"h1234ffff-t\">T</title><rect fill=\"url(#h1234ffff-0)\"/></svg>";
    let g = "<svg><title id=\"h1234ffff-t\">T</title><rect fill=\"url(#h1234ffff-1)\"/></svg>";
    assert_eq!(common::normalize(e), common::normalize(f));
    assert_ne!(common::normalize(f), common::normalize(g));
}
