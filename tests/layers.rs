//! The imports of `src/`, drawn and checked: every file sits on one floor,
//! imports only its own floor or the floors below, no two files import
//! each other, and there is no circle. The floors, top to bottom:
//!
//! ```text
//! service   lib.rs, server.rs, http.rs, metrics.rs, jobs.rs, jobs/
//!                       (builds and serves the app, runs its background work)
//! api       api/        HTTP ⇄ domain values
//! registry  registry/   the rules, the transactions
//! outbound  outbound/   requests to the addresses callers name (webhooks)
//! db        db/         connecting, the schema and its indexes
//! store     store/      domain values ⇄ SQL, through entity/
//! config    config.rs   the settings
//! domain    domain/     the vocabulary; no poem, no sea-orm
//! ```
//!
//! `cargo test --test layers -- --nocapture` prints the drawing.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

const FLOORS: &[(&str, &[&str])] = &[
    (
        "service",
        &[
            "lib.rs",
            "server.rs",
            "http.rs",
            "metrics.rs",
            "jobs.rs",
            "jobs/",
        ],
    ),
    ("api", &["api/"]),
    ("registry", &["registry/"]),
    ("outbound", &["outbound.rs", "outbound/"]),
    ("db", &["db/"]),
    ("store", &["store/"]),
    ("config", &["config.rs"]),
    ("domain", &["domain/"]),
];

/// Crates a floor must not name: the domain knows neither the web nor the
/// database framework, the rules know no SQL, the API no tables.
const FORBIDDEN: &[(&str, &[&str])] = &[
    ("domain", &["poem", "poem_openapi", "sea_orm", "entity"]),
    ("registry", &["poem", "poem_openapi", "sea_orm", "entity"]),
    ("api", &["sea_orm", "entity"]),
    ("outbound", &["poem", "poem_openapi", "sea_orm", "entity"]),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The floor of a file (a path relative to `src/`).
fn floor(file: &str) -> usize {
    FLOORS
        .iter()
        .position(|(_, files)| files.iter().any(|f| file == *f || file.starts_with(f)))
        .unwrap_or_else(|| panic!("{file} is on no floor: add it to FLOORS"))
}

/// A file's code without comments and without its tests (which may reach
/// anywhere), so that only what the service runs is drawn.
fn code_of(file: &str) -> String {
    let text = fs::read_to_string(src().join(file)).expect("a source file");
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module a file is: `api/models.rs` → `[api, models]`.
fn module_of(file: &str) -> Vec<String> {
    let path = file.trim_end_matches(".rs");
    let path = path.trim_end_matches("/mod").trim_end_matches("lib");
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The file of a module, if the module is a file.
fn file_of(module: &[String]) -> Option<String> {
    if module.is_empty() {
        return Some("lib.rs".into());
    }
    let base = module.join("/");
    [format!("{base}.rs"), format!("{base}/mod.rs")]
        .into_iter()
        .find(|candidate| src().join(candidate).is_file())
}

/// The paths a `use` tree names: `a::{b, c::d}` → `a::b`, `a::c::d`.
fn expand(tree: &str) -> Vec<Vec<String>> {
    fn parse(tokens: &[String], at: &mut usize, prefix: &[String]) -> Vec<Vec<String>> {
        let mut path = prefix.to_vec();
        while *at < tokens.len() {
            match tokens[*at].as_str() {
                "{" => {
                    *at += 1;
                    let mut paths = Vec::new();
                    while *at < tokens.len() && tokens[*at] != "}" {
                        paths.extend(parse(tokens, at, &path));
                        if *at < tokens.len() && tokens[*at] == "," {
                            *at += 1;
                        }
                    }
                    *at += 1;
                    return paths;
                }
                "," | "}" => break,
                "::" => *at += 1,
                "as" => *at += 2,
                "self" => *at += 1,
                segment => {
                    path.push(segment.to_owned());
                    *at += 1;
                }
            }
        }
        vec![path]
    }
    let mut tokens = Vec::new();
    let mut word = String::new();
    for c in tree.chars() {
        if c.is_alphanumeric() || c == '_' || c == '*' {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            tokens.push(std::mem::take(&mut word));
        }
        match c {
            '{' | '}' | ',' => tokens.push(c.to_string()),
            ':' if tokens.last().is_none_or(|t| t != "::") => tokens.push("::".into()),
            _ => {}
        }
    }
    if !word.is_empty() {
        tokens.push(word);
    }
    // `::` was pushed once per colon pair's first colon; drop repeats.
    tokens.dedup_by(|a, b| a == "::" && b == "::");
    parse(&tokens, &mut 0, &[])
}

/// The `use` trees of a file's code, and its code without them.
fn uses_of(code: &str) -> (Vec<Vec<String>>, String) {
    let mut paths = Vec::new();
    let mut rest = String::new();
    let mut remaining = code;
    while let Some(start) = find_use(remaining) {
        rest.push_str(&remaining[..start]);
        let after = &remaining[start..];
        let end = after.find(';').map_or(after.len(), |i| i + 1);
        let tree = after[..end]
            .trim_start_matches("pub(super) ")
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub ")
            .trim_start_matches("use ")
            .trim_end_matches(';');
        paths.extend(expand(tree));
        remaining = &after[end..];
    }
    rest.push_str(remaining);
    (paths, rest)
}

fn find_use(code: &str) -> Option<usize> {
    let mut offset = 0;
    for line in code.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let bare = trimmed
            .trim_start_matches("pub(super) ")
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub ");
        if bare.starts_with("use ") {
            return Some(offset + (line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    None
}

/// The child modules a file declares (`mod x;`).
fn children_of(code: &str) -> Vec<String> {
    code.lines()
        .filter_map(|line| {
            let line = line.trim();
            let line = line.strip_prefix("pub ").unwrap_or(line);
            line.strip_prefix("mod ")?
                .strip_suffix(';')
                .map(str::to_owned)
        })
        .collect()
}

/// Paths written in code rather than in a `use`: `crate::api::f()`,
/// `super::x::Y`, `child::f()`.
fn inline_paths(code: &str, children: &[String]) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !(bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_');
        if starts_word && (bytes[i].is_alphabetic() || bytes[i] == '_') {
            let mut segments = Vec::new();
            let mut j = i;
            loop {
                let begin = j;
                while j < bytes.len() && (bytes[j].is_alphanumeric() || bytes[j] == '_') {
                    j += 1;
                }
                segments.push(bytes[begin..j].iter().collect::<String>());
                if j + 2 < bytes.len()
                    && bytes[j] == ':'
                    && bytes[j + 1] == ':'
                    && (bytes[j + 2].is_alphabetic() || bytes[j + 2] == '_')
                {
                    j += 2;
                } else {
                    break;
                }
            }
            let first = segments[0].as_str();
            if segments.len() > 1
                && (first == "crate" || first == "super" || children.iter().any(|c| c == first))
            {
                paths.push(segments);
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    paths
}

/// The file that defines what `path` names, seen from module `here`.
fn resolve(here: &[String], path: &[String], depth: usize) -> Option<String> {
    let mut module: Vec<String> = match path.first().map(String::as_str) {
        Some("crate") => Vec::new(),
        Some("super") => here.to_vec(),
        _ => here.to_vec(),
    };
    let mut segments = path;
    if segments.first().is_some_and(|s| s == "crate") {
        segments = &segments[1..];
    }
    while segments.first().is_some_and(|s| s == "super") {
        module.pop();
        segments = &segments[1..];
    }
    for (i, segment) in segments.iter().enumerate() {
        let mut deeper = module.clone();
        deeper.push(segment.clone());
        if file_of(&deeper).is_some() {
            module = deeper;
            continue;
        }
        // An item of `module`: defined there, or re-exported from a child.
        let file = file_of(&module)?;
        if depth < 8 {
            let (uses, _) = uses_of(&code_of(&file));
            for used in uses {
                if used.last() == Some(segment) && used.first().is_some_and(|s| s != "crate") {
                    let mut target = used.clone();
                    target.extend(segments[i + 1..].iter().cloned());
                    let children = children_of(&code_of(&file));
                    if children.iter().any(|c| Some(c) == used.first()) {
                        return resolve(&module, &target, depth + 1);
                    }
                }
            }
        }
        return Some(file);
    }
    file_of(&module)
}

fn source_files() -> Vec<String> {
    fn walk(dir: &Path, base: &Path, files: &mut Vec<String>) {
        for entry in fs::read_dir(dir).expect("src/ reads").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, base, files);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(base).expect("under src/");
                files.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut files = Vec::new();
    walk(&src(), &src(), &mut files);
    // The binary is its own crate: it sees the library from outside.
    files.retain(|f| f != "main.rs");
    files.sort();
    files
}

fn imports() -> BTreeMap<String, BTreeSet<String>> {
    source_files()
        .into_iter()
        .map(|file| {
            let code = code_of(&file);
            let here = module_of(&file);
            let children = children_of(&code);
            let (mut paths, rest) = uses_of(&code);
            paths.extend(inline_paths(&rest, &children));
            let targets = paths
                .iter()
                .filter(|p| {
                    let first = p.first().map(String::as_str);
                    first == Some("crate")
                        || first == Some("super")
                        || children.iter().any(|c| Some(c.as_str()) == first)
                })
                .filter_map(|p| resolve(&here, p, 0))
                .filter(|target| *target != file)
                .collect();
            (file, targets)
        })
        .collect()
}

#[test]
fn every_import_goes_down_and_none_comes_back() {
    let graph = imports();
    let mut wrong = Vec::new();
    for (file, targets) in &graph {
        for target in targets {
            if floor(target) < floor(file) {
                wrong.push(format!(
                    "{file} ({}) imports {target} ({}), a floor above",
                    FLOORS[floor(file)].0,
                    FLOORS[floor(target)].0
                ));
            }
            if graph.get(target).is_some_and(|back| back.contains(file)) && file < target {
                wrong.push(format!("{file} and {target} import each other"));
            }
        }
    }
    for (file, targets) in &graph {
        println!("{:<9} {file} → {}", FLOORS[floor(file)].0, {
            let list: Vec<_> = targets.iter().map(String::as_str).collect();
            list.join(", ")
        });
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_imports_have_no_circle() {
    let graph = imports();
    // Kahn's algorithm: what cannot be ordered lies on a circle.
    let mut importers: BTreeMap<&str, usize> = graph.keys().map(|f| (f.as_str(), 0)).collect();
    for targets in graph.values() {
        for target in targets {
            *importers.entry(target.as_str()).or_default() += 1;
        }
    }
    let mut ready: Vec<&str> = importers
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(f, _)| *f)
        .collect();
    let mut ordered = 0;
    while let Some(file) = ready.pop() {
        ordered += 1;
        for target in graph.get(file).into_iter().flatten() {
            let n = importers.get_mut(target.as_str()).expect("counted");
            *n -= 1;
            if *n == 0 {
                ready.push(target);
            }
        }
    }
    let circled: Vec<_> = importers
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(f, _)| *f)
        .collect();
    assert_eq!(ordered, importers.len(), "files on a circle: {circled:?}");
}

#[test]
fn each_floor_names_only_the_crates_it_may() {
    let mut wrong = Vec::new();
    for file in source_files() {
        let name = FLOORS[floor(&file)].0;
        let Some((_, crates)) = FORBIDDEN.iter().find(|(floor, _)| *floor == name) else {
            continue;
        };
        let (uses, rest) = uses_of(&code_of(&file));
        let inline = inline_paths(
            &rest,
            &crates.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        );
        for path in uses.iter().chain(&inline) {
            if let Some(first) = path.first().filter(|f| crates.contains(&f.as_str())) {
                wrong.push(format!("{file} ({name}) names {first}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_drawing_sees_imports() {
    // The checks above are only as good as the reading: a few imports that
    // are known to exist must be found.
    let graph = imports();
    for (file, target) in [
        ("api/models.rs", "registry/mod.rs"),
        ("api/artifacts.rs", "api/versions.rs"),
        ("registry/models.rs", "store/mod.rs"),
        ("store/models.rs", "store/statements.rs"),
        ("store/versions.rs", "domain/versions.rs"),
        ("domain/models.rs", "domain/versions.rs"),
        ("metrics.rs", "api/mod.rs"),
    ] {
        assert!(
            graph.get(file).is_some_and(|t| t.contains(target)),
            "{file} should import {target}: {:?}",
            graph.get(file)
        );
    }
}
