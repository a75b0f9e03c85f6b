//! The database's errors, in the registry's words: which constraint a
//! failed statement broke, whether the database is unreachable, and what
//! is the caller's doing rather than ours.

use sea_orm::{
    DbErr, RuntimeErr, SqlErr,
    sqlx::{Error as SqlxError, error::DatabaseError, postgres::PgDatabaseError},
};

use crate::domain::{Error, Resource};

/// Every database error becomes one of ours: unreachable is 503, an unknown
/// referenced id or a refused character the caller's 400, anything else a
/// logged 500. A taken name is recognised by its statement ([`name_taken_as`]).
impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        if is_unavailable(&err) {
            Error::Unavailable(Box::new(err))
        } else if let Some(field) = unknown_reference(&err) {
            Error::InvalidArgument(field)
        } else if is_refused_value(&err) {
            Error::InvalidArgument(
                "a value in the request cannot be stored or compared \
                 (for example, it contains a NUL character)"
                    .into(),
            )
        } else {
            Error::Internal(Box::new(err))
        }
    }
}

/// Is this the database being unreachable or too slow, rather than a
/// statement failing?
pub fn is_unavailable(err: &DbErr) -> bool {
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            match e.as_ref() {
                SqlxError::Io(_)
                | SqlxError::Tls(_)
                | SqlxError::Protocol(_)
                | SqlxError::PoolTimedOut
                | SqlxError::PoolClosed
                | SqlxError::WorkerCrashed => true,
                // Connection exceptions (08), a statement cancelled by its
                // timeout (57014) and the server shutting down (57P0x).
                SqlxError::Database(db) => match postgres_error(db.as_ref()) {
                    Some(pg) => pg.code().starts_with("08") || pg.code().starts_with("57"),
                    None => is_sqlite_unavailable(db.as_ref()),
                },
                _ => false,
            }
        }
        _ => false,
    }
}

/// SQLite busy past its timeout, locked, failing to read or write its
/// files, full, or unable to open them (primary result codes).
fn is_sqlite_unavailable(db: &dyn DatabaseError) -> bool {
    const BUSY: i64 = 5;
    const LOCKED: i64 = 6;
    const IOERR: i64 = 10;
    const FULL: i64 = 13;
    const CANTOPEN: i64 = 14;
    let code = db.code().and_then(|code| code.parse::<i64>().ok());
    code.is_some_and(|code| [BUSY, LOCKED, IOERR, FULL, CANTOPEN].contains(&(code & 0xff)))
}

/// Maps the violation of a name's uniqueness (per project, per model) to
/// `conflict` for `resource`; any other error as usual, another unique key
/// (a primary key, say) included: that one is the service's mistake.
pub(super) fn name_taken_as(resource: Resource) -> impl Fn(DbErr) -> Error {
    move |err| {
        if violated_unique_columns(&err).is_some_and(|columns| columns.contains(&"name")) {
            Error::NameTaken(resource)
        } else {
            Error::from(err)
        }
    }
}

/// Did PostgreSQL refuse a character the request carried (a NUL, 22021, or
/// one JSON cannot hold, 22P05)? The backstop behind the domain's values;
/// any other data exception is the service's mistake, a 500.
fn is_refused_value(err: &DbErr) -> bool {
    database_error(err)
        .and_then(postgres_error)
        .is_some_and(|pg| matches!(pg.code(), "22021" | "22P05"))
}

/// The database's own error under a failed statement, if that is what
/// failed.
fn database_error(err: &DbErr) -> Option<&dyn DatabaseError> {
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = err
    else {
        return None;
    };
    match e.as_ref() {
        SqlxError::Database(db) => Some(db.as_ref()),
        _ => None,
    }
}

fn postgres_error(db: &dyn DatabaseError) -> Option<&PgDatabaseError> {
    db.try_downcast_ref::<PgDatabaseError>()
}

/// On CMP's tables a write's ids are deferred foreign keys to CMP's tables,
/// checked at COMMIT: a violation is the caller's, named by the key's
/// column as PostgreSQL's detail gives it (`Key (region_id)=(...)`).
fn unknown_reference(err: &DbErr) -> Option<String> {
    let pg = postgres_error(database_error(err)?)?;
    if pg.code() != "23503" {
        return None;
    }
    Some(match key_columns(pg) {
        Some("project_id") => "Project-ID: the platform knows no such project".into(),
        Some(
            column @ ("region_id"
            | "owner_id"
            | "parent_model_id"
            | "registered_model_id"
            | "prebuilt_container_id"
            | "created_by_id"
            | "updated_by_id"),
        ) => {
            format!("{column}: the platform knows no such id")
        }
        _ => "an id in the request names nothing the platform knows".into(),
    })
}

/// The columns of the key a PostgreSQL constraint error names, as its
/// detail gives them: `Key (a, b)=(...) ...` → `a, b`.
fn key_columns(pg: &PgDatabaseError) -> Option<&str> {
    let (columns, _) = pg.detail()?.strip_prefix("Key (")?.split_once(')')?;
    Some(columns)
}

/// The columns of the violated unique key, read from the message: Django
/// names constraints with hashes, and SQLite names only the columns
/// (`UNIQUE constraint failed: t.a, t.b`; PostgreSQL: `Key (a, b)=...`).
fn violated_unique_columns(err: &DbErr) -> Option<Vec<&str>> {
    let db = database_error(err)?;
    if !matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
        return None;
    }
    if let Some(pg) = postgres_error(db) {
        return Some(key_columns(pg)?.split(", ").collect());
    }
    let columns = db.message().strip_prefix("UNIQUE constraint failed: ")?;
    Some(
        columns
            .split(", ")
            .map(|column| column.rsplit_once('.').map_or(column, |(_, name)| name))
            .collect(),
    )
}
