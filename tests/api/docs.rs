//! The documentation says what the code does: the configuration reference
//! (`docs/configuration.md`) lists exactly the code's variables, with their
//! keys and defaults.

use model_registry::config::{Config, ENV_VARS};

/// `(variable, key, default)` of each row of the table.
fn documented() -> Vec<(String, String, String)> {
    let page = include_str!("../../docs/configuration.md");
    page.lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<String> = line
                .split('|')
                .map(|cell| cell.trim().trim_matches('`').to_owned())
                .collect();
            // | variable | flag | key | default | description |
            let cell = |i: usize| cells.get(i).cloned().unwrap_or_default();
            (cell(1), cell(3), cell(4))
        })
        .collect()
}

#[test]
fn the_configuration_table_is_the_codes() {
    let rows = documented();
    let listed: Vec<(&str, &str)> = rows
        .iter()
        .map(|(variable, key, _)| (variable.as_str(), key.as_str()))
        .collect();
    assert_eq!(
        listed, ENV_VARS,
        "docs/configuration.md's table and config::ENV_VARS differ"
    );

    // Each default the code sets (not those it derives, such as the pool
    // size) is the one documented.
    let defaults = toml::Value::try_from(Config::default()).expect("the defaults as TOML");
    for (variable, key, documented) in &rows {
        let mut value = Some(&defaults);
        for part in key.split('.') {
            value = value.and_then(|v| v.get(part));
        }
        let shown = match value {
            Some(toml::Value::String(text)) => text.clone(),
            Some(toml::Value::Integer(n)) => n.to_string(),
            Some(toml::Value::Boolean(b)) => b.to_string(),
            _ => continue,
        };
        assert_eq!(documented, &shown, "{variable}'s default");
    }
}
