//! The core's layering, checked on the sources: every `crate::<layer>::<module>` path in a core
//! module points at its own layer or one listed before it in `src/lib.rs`, and no modules import
//! each other in a circle. The GUI and the two programs sit on top and are not checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, bottom up, as the list in `src/lib.rs`'s documentation gives them
/// (`//! - [`common`]: ...`); rustfmt sorts the `mod` lines, so they cannot carry the order.
fn layers() -> Vec<String> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let layers: Vec<String> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("//! - [`"))
        .filter_map(|l| l.split_once("`]").map(|(name, _)| name.to_string()))
        .filter(|l| l != "gui")
        .collect();
    assert!(layers.len() >= 5, "lib.rs lists too few layers: {layers:?}");
    for layer in &layers {
        assert!(
            lib.contains(&format!("pub mod {layer};")),
            "lib.rs lists {layer} but does not declare it"
        );
    }
    layers
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// `layer::module` for every core source file.
fn modules(layers: &[String]) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    for layer in layers {
        for entry in std::fs::read_dir(src().join(layer)).unwrap() {
            let path = entry.unwrap().path();
            let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            if path.extension().is_some_and(|e| e == "rs") && stem != "mod" {
                out.insert(format!("{layer}::{stem}"), path);
            } else if path.is_dir() {
                // A module with its own folder (`layer/module/mod.rs` and children).
                out.insert(format!("{layer}::{stem}"), path);
            }
        }
    }
    out
}

/// The `layer::module` pairs a source text refers to with `crate::` paths, also inside `use`
/// groups such as `use crate::{cache::clear, clients::discover}`.
fn references(text: &str, layers: &[String]) -> BTreeSet<String> {
    let mut refs = BTreeSet::new();
    let text: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        let paths: Vec<String> = match rest.strip_prefix('{') {
            // A group: its items at the first level, each a path of its own.
            Some(group) => {
                let mut depth = 0;
                let end = group
                    .char_indices()
                    .find(|&(_, c)| {
                        depth += match c {
                            '{' => 1,
                            '}' => -1,
                            _ => 0,
                        };
                        depth < 0
                    })
                    .map_or(group.len(), |(i, _)| i);
                split_top_level(&group[..end])
            }
            None => vec![rest.to_string()],
        };
        for path in paths {
            let path: String = path
                .trim()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let mut parts = path.split("::").filter(|p| !p.is_empty());
            if let (Some(layer), Some(module)) = (parts.next(), parts.next())
                && layers.iter().any(|l| l == layer)
            {
                refs.insert(format!("{layer}::{module}"));
            }
        }
    }
    refs
}

/// `a::b, c::{d, e}` -> `["a::b", "c::{d, e}"]`.
fn split_top_level(group: &str) -> Vec<String> {
    let mut items = vec![String::new()];
    let mut depth = 0;
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(String::new());
                continue;
            }
            _ => {}
        }
        items.last_mut().unwrap().push(c);
    }
    items
}

fn read_all(path: &Path) -> String {
    if path.is_dir() {
        let mut text = String::new();
        for entry in walkdir::WalkDir::new(path) {
            let e = entry.unwrap();
            if e.path().extension().is_some_and(|x| x == "rs") {
                text.push_str(&std::fs::read_to_string(e.path()).unwrap());
            }
        }
        text
    } else {
        std::fs::read_to_string(path).unwrap()
    }
}

#[test]
fn layers_only_use_layers_below_them_and_modules_form_no_circle() {
    let layers = layers();
    let rank = |m: &str| {
        let layer = m.split("::").next().unwrap();
        layers.iter().position(|l| l == layer).unwrap()
    };
    let modules = modules(&layers);
    assert!(modules.len() > 20, "too few modules found: {modules:?}");
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut upward = Vec::new();
    for (module, path) in &modules {
        let refs = references(&read_all(path), &layers);
        for r in &refs {
            assert!(
                modules.contains_key(r),
                "{module} refers to {r}, which is not a module"
            );
            if rank(r) > rank(module) {
                upward.push(format!("{module} -> {r}"));
            }
        }
        edges.insert(
            module.clone(),
            refs.into_iter().filter(|r| r != module).collect(),
        );
    }
    assert!(
        upward.is_empty(),
        "modules that use a layer above their own: {upward:#?}"
    );
    // Depth-first search for a circle.
    fn visit(
        m: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(m) {
            Some(2) => return None,
            Some(1) => {
                let start = stack.iter().position(|s| s == m).unwrap();
                let mut circle = stack[start..].to_vec();
                circle.push(m.to_string());
                return Some(circle);
            }
            _ => {}
        }
        state.insert(m.to_string(), 1);
        stack.push(m.to_string());
        for next in edges.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, edges, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(m.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in edges.keys() {
        let circle = visit(m, &edges, &mut state, &mut Vec::new());
        assert!(circle.is_none(), "modules import each other: {circle:?}");
    }
}

#[test]
fn the_reference_finder_sees_groups_and_paths() {
    let layers: Vec<String> = ["cache", "clients"].map(String::from).to_vec();
    let refs = references(
        "use crate::cache::clear::{self, Mode};\nfn f() { crate::clients::discover::x(); }\n// crate::clients::version in a comment\nuse crate::{cache::scan::{A, B}, clients::status};",
        &layers,
    );
    assert_eq!(
        refs.into_iter().collect::<Vec<_>>(),
        [
            "cache::clear",
            "cache::scan",
            "clients::discover",
            "clients::status"
        ]
    );
}
