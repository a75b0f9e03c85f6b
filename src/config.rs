//! Configuration: defaults < an optional TOML file < environment variables.
//!
//! The old service's variables keep their names and defaults. Which
//! database: `DATABASE_URL` if set; else PostgreSQL from the `DATABASE_*`
//! parts if any is set; else the embedded SQLite file.

use std::{net::IpAddr, path::PathBuf, time::Duration};

use ipnet::IpNet;
use secrecy::{ExposeSecret, SecretString};

use figment::{
    Figment, Metadata, Profile, Provider,
    error::Actual,
    providers::{Env, Format, Serialized, Toml},
    value::{Dict, Map, Value},
};
use serde::{Deserialize, Deserializer, Serialize};

/// Environment variables and the configuration keys they set. The TOML file
/// uses the keys (`[server] port = 8080`).
#[rustfmt::skip]
pub const ENV_VARS: &[(&str, &str)] = &[
    ("SERVER_HOST", "server.host"),
    ("SERVER_PORT", "server.port"),
    ("SERVER_SHUTDOWN_TIMEOUT_SECS", "server.shutdown_timeout_secs"),
    ("SERVER_REQUEST_TIMEOUT_MS", "server.request_timeout_ms"),
    ("SERVER_IDLE_TIMEOUT_SECS", "server.idle_timeout_secs"),
    ("SERVER_HEAD_TIMEOUT_MS", "server.head_timeout_ms"),
    ("SERVER_MAX_CONNECTIONS", "server.max_connections"),
    ("TRUSTED_PROXIES", "server.trusted_proxies"),
    ("API_TOKEN", "auth.token"),
    ("API_TOKENS", "auth.tokens"),
    ("DATABASE_URL", "database.url"),
    ("DATABASE_HOST", "database.host"),
    ("DATABASE_PORT", "database.port"),
    ("DATABASE_USER", "database.user"),
    ("DATABASE_PASSWORD", "database.password"),
    ("DATABASE_DBNAME", "database.dbname"),
    ("DATABASE_SSLMODE", "database.sslmode"),
    ("DATABASE_MAX_CONNECTIONS", "database.max_connections"),
    ("DATABASE_ACQUIRE_TIMEOUT_MS", "database.acquire_timeout_ms"),
    ("DATABASE_PING_TIMEOUT_MS", "database.ping_timeout_ms"),
    ("DATABASE_STATEMENT_TIMEOUT_MS", "database.statement_timeout_ms"),
    ("DATABASE_SQLITE_PATH", "database.sqlite_path"),
    ("LOG_LEVEL", "log.level"),
    ("LOG_FORMAT", "log.format"),
    ("EVENTS_RETENTION_DAYS", "events.retention_days"),
    ("EVENTS_NATS_URL", "events.nats_url"),
    ("WEBHOOK_ALLOWED_NETWORKS", "webhooks.allowed_networks"),
    ("WEBHOOK_TIMEOUT_MS", "webhooks.timeout_ms"),
    ("WEBHOOK_RETRY_BASE_MS", "webhooks.retry_base_ms"),
    ("WEBHOOK_MAX_ATTEMPTS", "webhooks.max_attempts"),
    ("WEBHOOK_RATE_UNDER_LOAD", "webhooks.rate_under_load"),
];

/// The variable naming the TOML file; without it `model-registry.toml` in
/// the working directory is read if it exists.
pub const CONFIG_FILE_VAR: &str = "CONFIG_FILE";
const DEFAULT_CONFIG_FILE: &str = "model-registry.toml";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub log: LogConfig,
    pub auth: AuthConfig,
    pub events: EventsConfig,
    pub webhooks: WebhooksConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebhooksConfig {
    /// Non-public addresses a webhook may still name (tests, a private
    /// network of receivers): CIDR blocks, comma-separated.
    #[serde(deserialize_with = "address_blocks")]
    pub allowed_networks: Vec<IpNet>,
    /// How long a receiver has to answer an attempt.
    pub timeout_ms: u64,
    /// The wait before the first retry, doubled for each next one.
    pub retry_base_ms: u64,
    /// Attempts of one delivery, the first included.
    pub max_attempts: u32,
    /// Attempts a process starts a second while it serves requests (0: no
    /// limit), so that deliveries take a bounded share from the API.
    pub rate_under_load: u32,
}

impl Default for WebhooksConfig {
    fn default() -> Self {
        WebhooksConfig {
            allowed_networks: Vec::new(),
            timeout_ms: 10_000,
            retry_base_ms: 5_000,
            max_attempts: 10,
            rate_under_load: 1_200,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EventsConfig {
    /// Events older than this many days are removed (fractions allowed).
    pub retention_days: f64,
    /// The NATS server(s) to publish every event to, on JetStream; none, no
    /// publishing. May carry credentials, hence a secret.
    #[serde(deserialize_with = "optional_secret", serialize_with = "hidden")]
    pub nats_url: Option<SecretString>,
}

impl Default for EventsConfig {
    fn default() -> Self {
        EventsConfig {
            retention_days: 30.0,
            nats_url: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    #[serde(deserialize_with = "scalar_string")]
    pub host: String,
    pub port: u16,
    /// How long in-flight requests may run on after SIGTERM.
    pub shutdown_timeout_secs: u64,
    /// How long one request may take, body included, before a 503.
    pub request_timeout_ms: u64,
    /// How long a connection may sit idle before it is closed.
    pub idle_timeout_secs: u64,
    /// How long a request head may take from its first byte to its end.
    pub head_timeout_ms: u64,
    /// Open connections beyond this are answered 503 and closed.
    pub max_connections: usize,
    /// Proxies whose `X-Forwarded-For` is believed: addresses or CIDR
    /// blocks, comma-separated.
    #[serde(deserialize_with = "address_blocks")]
    pub trusted_proxies: Vec<IpNet>,
}

/// Bearer tokens that callers must present; none means no authentication
/// (the default, as CMP's proxy authenticates its callers).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    /// One token (`API_TOKEN`).
    #[serde(deserialize_with = "optional_secret", serialize_with = "hidden")]
    pub token: Option<SecretString>,
    /// Several, comma-separated, for rotation (`API_TOKENS`).
    #[serde(deserialize_with = "optional_secret", serialize_with = "hidden")]
    pub tokens: Option<SecretString>,
}

impl AuthConfig {
    /// Every configured token, empty ones dropped.
    pub fn tokens(&self) -> Vec<SecretString> {
        self.token
            .iter()
            .chain(&self.tokens)
            .flat_map(|list| list.expose_secret().split(','))
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .map(SecretString::from)
            .collect()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    #[serde(deserialize_with = "optional_scalar_string")]
    pub url: Option<String>,
    #[serde(deserialize_with = "optional_scalar_string")]
    pub host: Option<String>,
    pub port: Option<u16>,
    #[serde(deserialize_with = "optional_scalar_string")]
    pub user: Option<String>,
    #[serde(deserialize_with = "optional_secret", serialize_with = "hidden")]
    pub password: Option<SecretString>,
    #[serde(deserialize_with = "optional_scalar_string")]
    pub dbname: Option<String>,
    pub sslmode: Option<SslMode>,
    pub max_connections: Option<u32>,
    /// How long a request waits for a pooled connection while the
    /// database answers (busy connections, not a lost database).
    pub acquire_timeout_ms: u64,
    /// How long PostgreSQL may go without answering (the watchdog's ping,
    /// or a new connection's opening) before requests get 503.
    pub ping_timeout_ms: u64,
    /// PostgreSQL's `statement_timeout` for the service's sessions.
    pub statement_timeout_ms: u64,
    #[serde(deserialize_with = "scalar_string")]
    pub sqlite_path: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// A tracing filter (`info`, `model_registry=debug,info`); `RUST_LOG`
    /// wins when set.
    #[serde(deserialize_with = "scalar_string")]
    pub level: String,
    /// `text` for people, `json` (one object per line) for machines.
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// PostgreSQL's SSL modes, as libpq names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            host: "0.0.0.0".into(),
            port: 8080,
            shutdown_timeout_secs: 10,
            request_timeout_ms: 10_000,
            idle_timeout_secs: 60,
            head_timeout_ms: 10_000,
            max_connections: 10_000,
            trusted_proxies: Vec::new(),
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            url: None,
            host: None,
            port: None,
            user: None,
            password: None,
            dbname: None,
            sslmode: None,
            max_connections: None,
            acquire_timeout_ms: 5_000,
            ping_timeout_ms: 1_000,
            statement_timeout_ms: 5_000,
            sqlite_path: "model-registry.db".into(),
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            level: "info".into(),
            format: LogFormat::Text,
        }
    }
}

#[allow(clippy::derivable_impls)]
impl Default for Config {
    fn default() -> Self {
        Config {
            server: ServerConfig::default(),
            database: DatabaseConfig::default(),
            log: LogConfig::default(),
            auth: AuthConfig::default(),
            events: EventsConfig::default(),
            webhooks: WebhooksConfig::default(),
        }
    }
}

/// Where the data lives.
#[derive(Debug, Clone)]
pub enum DatabaseTarget {
    /// A `postgres://` URL.
    PostgresUrl(String),
    /// PostgreSQL from the `DATABASE_*` parts.
    Postgres(PostgresParts),
    /// A `sqlite:` URL, or the embedded default file.
    Sqlite(String),
}

#[derive(Debug, Clone)]
pub struct PostgresParts {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: SecretString,
    pub dbname: String,
    pub sslmode: SslMode,
}

/// Settings given on the command line, over every other source.
#[derive(Debug, Default)]
pub struct Overrides {
    /// `--config FILE`, in place of `CONFIG_FILE`.
    pub config_file: Option<PathBuf>,
    /// Each flag given, with the key it sets and its text:
    /// `("--port", "server.port", "9000")`.
    pub values: Vec<(&'static str, &'static str, String)>,
}

/// One flag as a figment source, named after the flag, so that a bad value
/// is told as `--port: ...`.
struct Flag<'a> {
    flag: &'static str,
    key: &'static str,
    text: &'a str,
}

impl Provider for Flag<'_> {
    fn metadata(&self) -> Metadata {
        Metadata::named(self.flag)
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        // Parsed as the environment's values are: `9000` is a number.
        let value: Value = self.text.parse().unwrap_or_else(|never| match never {});
        let dict = figment::util::nest(self.key, value)
            .into_dict()
            .unwrap_or_default();
        Ok(Profile::Default.collect(dict))
    }
}

impl Config {
    /// Reads the configuration from the file and the process environment.
    pub fn load() -> Result<Config, String> {
        Self::load_with(&Overrides::default())
    }

    /// Defaults < the TOML file < the environment < the command line.
    pub fn load_with(overrides: &Overrides) -> Result<Config, String> {
        let (source, file) = match &overrides.config_file {
            Some(path) => ("--config", Some(path.clone())),
            None => (
                CONFIG_FILE_VAR,
                std::env::var_os(CONFIG_FILE_VAR).map(PathBuf::from),
            ),
        };
        if let Some(path) = &file
            && !path.is_file()
        {
            return Err(format!("{source}: no such file: {}", path.display()));
        }
        let file = file.unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG_FILE));
        let mut figment = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(env_provider());
        for (flag, key, text) in &overrides.values {
            figment = figment.merge(Flag { flag, key, text });
        }
        Self::from_figment(figment)
    }

    fn from_figment(figment: Figment) -> Result<Config, String> {
        let config: Config = figment.extract().map_err(describe)?;
        config.database.target()?;
        let days = config.events.retention_days;
        if !(days.is_finite() && days > 0.0) {
            return Err(format!(
                "EVENTS_RETENTION_DAYS: expected a number of days above 0, got {days}"
            ));
        }
        config.nats_servers()?;
        if config.webhooks.max_attempts == 0 || config.webhooks.timeout_ms == 0 {
            return Err("WEBHOOK_MAX_ATTEMPTS and WEBHOOK_TIMEOUT_MS: expected at least 1".into());
        }
        Ok(config)
    }

    /// The NATS servers the events are published to (`EVENTS_NATS_URL`,
    /// comma-separated); empty when it is not set.
    pub fn nats_servers(&self) -> Result<Vec<async_nats::ServerAddr>, String> {
        let Some(urls) = &self.events.nats_url else {
            return Ok(Vec::new());
        };
        urls.expose_secret()
            .split(',')
            .map(str::trim)
            .filter(|url| !url.is_empty())
            .map(|url| {
                url.parse::<async_nats::ServerAddr>().map_err(|err| {
                    format!("EVENTS_NATS_URL: expected nats://host:port (comma-separated), {err}")
                })
            })
            .collect()
    }

    /// How long events are kept.
    pub fn events_retention(&self) -> Duration {
        Duration::from_secs_f64(self.events.retention_days * 86_400.0)
    }

    pub fn shutdown_timeout(&self) -> Duration {
        Duration::from_secs(self.server.shutdown_timeout_secs)
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_millis(self.server.request_timeout_ms)
    }

    pub fn idle_timeout(&self) -> Duration {
        Duration::from_secs(self.server.idle_timeout_secs)
    }

    pub fn head_timeout(&self) -> Duration {
        Duration::from_millis(self.server.head_timeout_ms)
    }
}

impl Config {
    /// A copy fit to print: the URL's password replaced by `***` (the
    /// other secrets always print so).
    pub fn redacted(&self) -> Config {
        let mut copy = self.clone();
        copy.database.url = self.database.url.as_deref().map(redact_url);
        copy
    }
}

impl DatabaseConfig {
    /// Resolves which database to use (see the module's doc).
    pub fn target(&self) -> Result<DatabaseTarget, String> {
        if let Some(url) = &self.url {
            return if url.starts_with("postgres://") || url.starts_with("postgresql://") {
                Ok(DatabaseTarget::PostgresUrl(url.clone()))
            } else if url.starts_with("sqlite:") {
                Ok(DatabaseTarget::Sqlite(url.clone()))
            } else {
                Err("DATABASE_URL: must start with postgres://, postgresql:// or sqlite:".into())
            };
        }
        let any_part = self.host.is_some()
            || self.port.is_some()
            || self.user.is_some()
            || self.password.is_some()
            || self.dbname.is_some()
            || self.sslmode.is_some();
        if any_part {
            return Ok(DatabaseTarget::Postgres(PostgresParts {
                host: self.host.clone().unwrap_or_else(|| "localhost".into()),
                port: self.port.unwrap_or(5432),
                user: self.user.clone().unwrap_or_else(|| "postgres".into()),
                password: self
                    .password
                    .clone()
                    .unwrap_or_else(|| SecretString::from("postgres")),
                dbname: self.dbname.clone().unwrap_or_else(|| "cmp".into()),
                sslmode: self.sslmode.unwrap_or(SslMode::Disable),
            }));
        }
        Ok(DatabaseTarget::Sqlite(format!(
            "sqlite://{}?mode=rwc",
            self.sqlite_path
        )))
    }

    pub fn acquire_timeout(&self) -> Duration {
        Duration::from_millis(self.acquire_timeout_ms)
    }

    pub fn ping_timeout(&self) -> Duration {
        Duration::from_millis(self.ping_timeout_ms)
    }

    pub fn statement_timeout(&self) -> Duration {
        Duration::from_millis(self.statement_timeout_ms)
    }
}

impl DatabaseTarget {
    /// Where it points, without the password, for the log.
    pub fn describe(&self) -> String {
        match self {
            DatabaseTarget::PostgresUrl(url) => format!("postgres {}", redact_url(url)),
            DatabaseTarget::Postgres(p) => format!(
                "postgres {}@{}:{}/{} (sslmode {})",
                p.user,
                p.host,
                p.port,
                p.dbname,
                p.sslmode.as_str()
            ),
            DatabaseTarget::Sqlite(url) => format!("embedded sqlite {url}"),
        }
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`; what
/// does not parse as a URL is not shown at all.
fn redact_url(text: &str) -> String {
    match url::Url::parse(text) {
        Ok(mut url) => {
            if url.password().is_some() {
                // Only a URL that cannot have a password refuses one.
                let _ = url.set_password(Some("***"));
            }
            url.to_string()
        }
        Err(_) => "(not a URL)".into(),
    }
}

fn env_provider() -> Env {
    Env::raw().filter_map(|name| {
        ENV_VARS
            .iter()
            .find(|(var, _)| name.as_str().eq_ignore_ascii_case(var))
            .map(|(_, key)| (*key).into())
    })
}

/// One line that names the flag, variable or file key holding the bad
/// value, and the form it must have: `SERVER_PORT: expected a port number,
/// got "abc"`.
fn describe(err: figment::Error) -> String {
    let key = err.path.join(".");
    let named = err.metadata.as_ref().map(|m| m.name.as_ref());
    let source = match ENV_VARS.iter().find(|(_, k)| *k == key) {
        _ if named.is_some_and(|name| name.starts_with("--")) => {
            named.unwrap_or_default().to_string()
        }
        Some((var, _)) if named.is_some_and(|name| name.contains("env")) => (*var).to_string(),
        _ if key.is_empty() => "configuration".to_string(),
        _ => format!("configuration key {key}"),
    };
    let problem = match &err.kind {
        figment::error::Kind::InvalidType(actual, expected)
        | figment::error::Kind::InvalidValue(actual, expected) => {
            format!(
                "expected {}, got {}",
                expected_form(&key, expected),
                got(actual)
            )
        }
        other => other.to_string(),
    };
    format!("{source}: {problem}")
}

/// What a setting must be, in words rather than Rust's type names.
fn expected_form(key: &str, expected: &str) -> String {
    match expected {
        _ if key.ends_with(".port") => "a port number (0 to 65535)".into(),
        "u16" | "u32" | "u64" | "usize" => "a whole number".into(),
        "a string" => "text".into(),
        other => other.into(),
    }
}

/// The value given, as given: `"abc"`, `-1`.
fn got(actual: &Actual) -> String {
    match actual {
        Actual::Str(text) => format!("{text:?}"),
        Actual::Signed(n) => n.to_string(),
        Actual::Unsigned(n) => n.to_string(),
        Actual::Float(n) => n.to_string(),
        Actual::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// Environment values that look like numbers arrive as numbers; a string
/// setting (a password of digits) takes them as text.
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Int(i64),
    Uint(u64),
    Float(f64),
    Bool(bool),
}

impl From<Scalar> for String {
    fn from(scalar: Scalar) -> String {
        match scalar {
            Scalar::Text(s) => s,
            Scalar::Int(n) => n.to_string(),
            Scalar::Uint(n) => n.to_string(),
            Scalar::Float(n) => n.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }
    }
}

fn scalar_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Scalar::deserialize(deserializer).map(String::from)
}

/// `10.0.0.0/8, 192.168.1.7` (or a TOML array of such): a bare address is
/// a block of one.
fn address_blocks<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<IpNet>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum List {
        One(String),
        Many(Vec<String>),
    }
    let items = match Option::<List>::deserialize(deserializer)? {
        None => Vec::new(),
        Some(List::One(text)) => text.split(',').map(str::to_owned).collect(),
        Some(List::Many(items)) => items,
    };
    items
        .iter()
        .map(|item| item.trim())
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    serde::de::Error::custom(format!(
                        "`{item}` is not an IP address or a CIDR block"
                    ))
                })
        })
        .collect()
}

fn optional_secret<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<SecretString>, D::Error> {
    Ok(optional_scalar_string(deserializer)?.map(SecretString::from))
}

/// A secret is printed as `***`, whatever prints the configuration.
fn hidden<S: serde::Serializer>(
    secret: &Option<SecretString>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match secret {
        Some(_) => serializer.serialize_some("***"),
        None => serializer.serialize_none(),
    }
}

fn optional_scalar_string<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(Option::<Scalar>::deserialize(deserializer)?.map(String::from))
}

#[cfg(test)]
// figment's `Jail` closures return its (large) error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use figment::Jail;

    fn load_with(vars: &[(&str, &str)]) -> Result<Config, String> {
        let mut result = Err(String::new());
        Jail::expect_with(|jail| {
            jail.clear_env();
            for (k, v) in vars {
                jail.set_env(k, v);
            }
            result = Config::load();
            Ok(())
        });
        result
    }

    #[test]
    fn defaults_are_the_old_services_and_embedded_sqlite() {
        let config = load_with(&[]).expect("defaults load");
        assert_eq!(config.server.port, 8080);
        assert!(matches!(
            config.database.target(),
            Ok(DatabaseTarget::Sqlite(url)) if url.contains("model-registry.db")
        ));
    }

    #[test]
    fn any_database_part_means_postgres_with_the_old_defaults() {
        let config =
            load_with(&[("DATABASE_HOST", "db"), ("DATABASE_PASSWORD", "12345")]).expect("loads");
        let Ok(DatabaseTarget::Postgres(parts)) = config.database.target() else {
            panic!("expected postgres");
        };
        assert_eq!(parts.host, "db");
        assert_eq!(parts.password.expose_secret(), "12345");
        assert_eq!((parts.user.as_str(), parts.port), ("postgres", 5432));
        assert_eq!(parts.dbname, "cmp");
        assert_eq!(parts.sslmode, SslMode::Disable);
    }

    #[test]
    fn database_url_wins() {
        let config = load_with(&[
            ("DATABASE_URL", "postgres://u:p@h/db"),
            ("DATABASE_HOST", "ignored"),
        ])
        .expect("loads");
        assert!(matches!(
            config.database.target(),
            Ok(DatabaseTarget::PostgresUrl(url)) if url == "postgres://u:p@h/db"
        ));
    }

    #[test]
    fn bad_values_name_their_variable() {
        let err = load_with(&[("SERVER_PORT", "eighty")]).unwrap_err();
        assert!(err.starts_with("SERVER_PORT: "), "{err}");
        let err = load_with(&[("DATABASE_SSLMODE", "sometimes")]).unwrap_err();
        assert!(err.starts_with("DATABASE_SSLMODE: "), "{err}");
        let err = load_with(&[("DATABASE_URL", "mysql://x")]).unwrap_err();
        assert!(err.starts_with("DATABASE_URL: "), "{err}");
        let err = load_with(&[("TRUSTED_PROXIES", "10.0.0.1, nginx")]).unwrap_err();
        assert!(err.starts_with("TRUSTED_PROXIES: "), "{err}");
    }

    #[test]
    fn a_bad_value_says_what_it_must_be_and_what_it_was() {
        let err = load_with(&[("SERVER_PORT", "abc")]).unwrap_err();
        assert_eq!(
            err,
            "SERVER_PORT: expected a port number (0 to 65535), got \"abc\""
        );
        let err = load_with(&[("DATABASE_PORT", "70000")]).unwrap_err();
        assert_eq!(
            err,
            "DATABASE_PORT: expected a port number (0 to 65535), got 70000"
        );
        let err = load_with(&[("SERVER_IDLE_TIMEOUT_SECS", "-1")]).unwrap_err();
        assert_eq!(
            err,
            "SERVER_IDLE_TIMEOUT_SECS: expected a whole number, got -1"
        );
    }

    #[test]
    fn flags_win_over_the_environment_and_name_themselves() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.create_file("flags.toml", "[server]\nport = 9000\n")?;
            jail.set_env("SERVER_PORT", "9100");
            let overrides = Overrides {
                config_file: Some("flags.toml".into()),
                values: vec![("--port", "server.port", "9200".into())],
            };
            let config = Config::load_with(&overrides).map_err(|e| e.to_string())?;
            assert_eq!(config.server.port, 9200);
            let overrides = Overrides {
                config_file: None,
                values: vec![("--port", "server.port", "abc".into())],
            };
            let err = Config::load_with(&overrides).unwrap_err();
            assert_eq!(
                err,
                "--port: expected a port number (0 to 65535), got \"abc\""
            );
            let overrides = Overrides {
                config_file: Some("missing.toml".into()),
                values: Vec::new(),
            };
            let err = Config::load_with(&overrides).unwrap_err();
            assert!(err.starts_with("--config: no such file"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn trusted_proxies_are_addresses_and_blocks() {
        let config = load_with(&[("TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8,::1")]).expect("loads");
        let blocks: Vec<String> = config
            .server
            .trusted_proxies
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(blocks, ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]);
        assert!(
            load_with(&[])
                .expect("loads")
                .server
                .trusted_proxies
                .is_empty()
        );
    }

    #[test]
    fn the_toml_file_sits_between_defaults_and_environment() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.create_file(
                "custom.toml",
                "[server]\nport = 9000\nhost = \"127.0.0.1\"\n",
            )?;
            jail.set_env(CONFIG_FILE_VAR, "custom.toml");
            jail.set_env("SERVER_HOST", "::1");
            let config = Config::load().map_err(|e| e.to_string())?;
            assert_eq!(config.server.port, 9000);
            assert_eq!(config.server.host, "::1");
            Ok(())
        });
    }

    #[test]
    fn tokens_come_from_either_variable_and_split_on_commas() {
        let config =
            load_with(&[("API_TOKEN", "one"), ("API_TOKENS", "two, three,,")]).expect("loads");
        let tokens: Vec<String> = config
            .auth
            .tokens()
            .iter()
            .map(|token| token.expose_secret().to_owned())
            .collect();
        assert_eq!(tokens, ["one", "two", "three"]);
        assert!(load_with(&[]).expect("loads").auth.tokens().is_empty());
    }

    #[test]
    fn the_printed_configuration_hides_secrets() {
        let config = load_with(&[
            ("DATABASE_URL", "postgres://u:hunter2@h/db"),
            ("DATABASE_PASSWORD", "hunter3"),
            ("API_TOKEN", "tok-1"),
        ])
        .expect("loads");
        let printed = toml::to_string(&config.redacted()).expect("toml");
        for secret in ["hunter2", "hunter3", "tok-1"] {
            assert!(!printed.contains(secret), "{printed}");
        }
        assert!(printed.contains("postgres://u:***@h/db"), "{printed}");
        // Nor does anything printed for debugging.
        let debugged = format!("{config:?}");
        for secret in ["hunter3", "tok-1"] {
            assert!(!debugged.contains(secret), "{debugged}");
        }
    }

    #[test]
    fn passwords_never_reach_the_log() {
        let target = DatabaseTarget::PostgresUrl("postgres://u:hunter2@h:5432/db".into());
        assert!(!target.describe().contains("hunter2"));
    }
}
