//! What every statement is built from: the database's dialect and lookup
//! tables, project scoping, the version columns every read selects, the
//! list filters, paging by ids, and statements rendered once.

use std::sync::OnceLock;

use entity::{model_registry_model_version as version, tenant_user as user};
use sea_orm::{
    ConnectionTrait, DbBackend, DbErr, EntityTrait, IdenStatic, Iterable, ModelTrait, QueryResult,
    Statement, StatementBuilder, Value,
    sea_query::{
        Alias, Asterisk, CommonTableExpression, Expr, ExprTrait, Func, InsertStatement, IntoIden,
        JoinType, Query, SelectStatement, SubQueryStatement, WithClause,
    },
};
use uuid::Uuid;

use super::hints::PageHints;
use crate::domain::{Cursor, LabelFilter, Listed, Page, SortKey, SortOrder, TagFilter};

/// What the statements depend on: the database's dialect, which lookup
/// tables exist, the reads by id, rendered once, and where pages ended.
pub(super) struct Sql {
    /// Known without a connection, so that statements can be rendered for a
    /// store that has none (`Store::unconnected`).
    pub backend: DbBackend,
    pub lookups: Lookups,
    pub reads: Reads,
    pub page_hints: PageHints,
}

/// The reads by id, each rendered on its first use (by the table that runs
/// it, from the same function `hot_statements` shows): their SQL never
/// changes.
#[derive(Default)]
pub(super) struct Reads {
    pub model_by_id: OnceLock<Rendered>,
    pub version_by_id: OnceLock<Rendered>,
    pub version_by_id_of_model: OnceLock<Rendered>,
}

/// Stand-ins for the values a statement is built with, where a request's
/// values go: `Rendered::bind` puts them in their places, `hot_statements`
/// names them.
pub(super) const PROJECT_SLOT: Uuid = Uuid::from_u128(0x5107_0000_0000_4000_8000_0000_0000_0001);
pub(super) const ID_SLOT: Uuid = Uuid::from_u128(0x5107_0000_0000_4000_8000_0000_0000_0002);
pub(super) const MODEL_SLOT: Uuid = Uuid::from_u128(0x5107_0000_0000_4000_8000_0000_0000_0003);

/// A statement rendered to SQL once, run with each request's values, so
/// that a request does not build the same SQL again (for a GET of a model,
/// building its 4 KB statement took about a tenth of the service's CPU).
/// Its slots are its only parameters (`ids_as_parameters`).
pub(super) struct Rendered {
    statement: Statement,
}

impl Rendered {
    pub fn new(backend: DbBackend, statement: &SelectStatement) -> Self {
        Rendered {
            statement: ids_as_parameters(backend, statement),
        }
    }

    /// The statement with the slots filled in.
    pub fn bind(&self, project_id: Uuid, id: Uuid, model_id: Option<Uuid>) -> Statement {
        let mut statement = self.statement.clone();
        if let Some(values) = &mut statement.values {
            for value in &mut values.0 {
                let request = match value {
                    Value::Uuid(Some(slot)) if *slot == PROJECT_SLOT => Some(project_id),
                    Value::Uuid(Some(slot)) if *slot == ID_SLOT => Some(id),
                    Value::Uuid(Some(slot)) if *slot == MODEL_SLOT => model_id,
                    _ => continue,
                };
                *value = request.into();
            }
        }
        statement
    }
}

/// `statement` with its constants written into the SQL and its ids as
/// parameters, in order of appearance: for statements whose only values
/// from a request are ids (reads by id, a page's rows by id). Written in,
/// the constants (each `LIMIT 1`, `is_default = TRUE`, `''`) tell
/// PostgreSQL's generic plan what makes it cheap (a limit of one row, the
/// partial index on `is_default`); as parameters they hid it, and
/// PostgreSQL planned the statement again on every execution: 2 ms for a
/// GET of a model, four times its execution (docs/performance.md).
pub(super) fn ids_as_parameters(backend: DbBackend, statement: &SelectStatement) -> Statement {
    use sea_orm::sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};
    let inline = match backend {
        DbBackend::Sqlite => statement.to_string(SqliteQueryBuilder),
        _ => statement.to_string(PostgresQueryBuilder),
    };
    // Every value is quoted; identifiers are double-quoted: an id is a
    // quoted 36-character UUID.
    const QUOTED_ID: usize = 38;
    let mut sql = String::with_capacity(inline.len());
    let mut ids: Vec<Value> = Vec::new();
    let mut rest = inline.as_str();
    while let Some(at) = rest.find('\'') {
        let (before, quoted) = rest.split_at(at);
        sql.push_str(before);
        let id = quoted
            .get(..QUOTED_ID)
            .filter(|text| text.ends_with('\''))
            .and_then(|text| Uuid::parse_str(&text[1..QUOTED_ID - 1]).ok());
        match id {
            Some(id) => {
                ids.push(id.into());
                match backend {
                    DbBackend::Sqlite => sql.push('?'),
                    _ => sql.push_str(&format!("${}", ids.len())),
                }
                rest = &quoted[QUOTED_ID..];
            }
            None => {
                sql.push('\'');
                rest = &quoted[1..];
            }
        }
    }
    sql.push_str(rest);
    Statement::from_sql_and_values(backend, sql, ids)
}

/// Which of CMP's lookup tables (for emails and region names) exist. They
/// always do in CMP's database and in `scripts/schema.sql`; a database
/// without them still serves, with `""` for those fields.
#[derive(Debug, Clone, Copy)]
pub(super) struct Lookups {
    pub users: bool,
    pub regions: bool,
}

/// A sort key as the column holds it.
fn sort_key_value(key: &SortKey) -> Value {
    match key {
        // Bound as the columns were written (with their offset), so that
        // SQLite compares the same text it stored.
        SortKey::Time(time) => time.fixed_offset().into(),
        SortKey::Text(text) => text.clone().into(),
        SortKey::Number(n) => (*n).into(),
    }
}

/// `(sort column, id)` strictly after `cursor` in the list's order: the
/// keyset condition, which the `(project, sort column, id)` indexes serve.
pub(super) fn after_cursor(
    table: impl IntoIden + Clone,
    column: impl IntoIden,
    order: &sea_orm::sea_query::Order,
    cursor: &Cursor,
) -> Expr {
    let columns = Expr::tuple([
        Expr::col((table.clone(), column)),
        Expr::col((table, Alias::new("id"))),
    ]);
    let values = Expr::tuple([Expr::val(sort_key_value(&cursor.key)), Expr::val(cursor.id)]);
    match order {
        sea_orm::sea_query::Order::Asc => columns.gt(values),
        _ => columns.lt(values),
    }
}

/// Selects every column of the version table under alias `table` as
/// `{prefix}{column}`, and its two emails as `{prefix}created_by_email` and
/// `{prefix}updated_by_email`. The secrets are never read: they are selected
/// as `''`, so they cannot leak from memory.
pub(super) fn select_version(
    query: &mut SelectStatement,
    table: &str,
    prefix: &str,
    lookups: Lookups,
) {
    let t = Alias::new(table);
    for column in version::Column::iter() {
        let alias = Alias::new(format!("{prefix}{}", column.as_str()));
        match column {
            version::Column::AccessKey | version::Column::SecretKey => {
                query.expr_as(Expr::val(""), alias)
            }
            _ => query.expr_as(Expr::col((t.clone(), column)), alias),
        };
    }
    for (who, column) in [
        ("created_by", version::Column::CreatedById),
        ("updated_by", version::Column::UpdatedById),
    ] {
        let email_alias = Alias::new(format!("{prefix}{who}_email"));
        if lookups.users {
            let u = Alias::new(format!("{prefix}{who}"));
            query.join_as(
                JoinType::LeftJoin,
                user::Entity,
                u.clone(),
                Expr::col((u.clone(), user::Column::Id)).equals((t.clone(), column)),
            );
            query.expr_as(coalesce_empty((u, user::Column::Email)), email_alias);
        } else {
            query.expr_as(Expr::val(""), email_alias);
        }
    }
}

/// Joins, as `alias`, the version whose id `id` gives (none when it is
/// NULL). On PostgreSQL it is a lateral lookup of that one key: a join
/// let a planner without statistics (tables never analyzed) read the whole
/// version table into a hash instead (docs/performance.md); the LIMIT keeps it
/// from folding the lookup back into a join. SQLite has no LATERAL, and
/// its planner probes the key.
pub(super) fn join_version_by_id(
    query: &mut SelectStatement,
    backend: DbBackend,
    alias: Alias,
    id: Expr,
) {
    let x = Alias::new("x");
    match backend {
        DbBackend::Postgres => {
            let mut row = Query::select();
            row.column(Asterisk)
                .from_as(version::Entity, x.clone())
                .and_where(Expr::col((x, version::Column::Id)).eq(id))
                .limit(1);
            query.join_lateral(JoinType::LeftJoin, row, alias, Expr::cust("TRUE"));
        }
        _ => {
            query.join_as(
                JoinType::LeftJoin,
                version::Entity,
                alias.clone(),
                Expr::col((alias, version::Column::Id)).eq(id),
            );
        }
    }
}

/// `INSERT INTO table (every column) SELECT the row's values [WHERE
/// condition]`: an insert that a condition checked in the same statement
/// can refuse (the result then says no row was inserted).
pub(super) fn insert_row<M: ModelTrait>(
    row: &M,
    condition: Option<Expr>,
) -> Result<InsertStatement, DbErr> {
    let columns = <<M::Entity as EntityTrait>::Column as Iterable>::iter;
    let mut values = Query::select();
    for column in columns() {
        values.expr(Expr::val(row.get(column)));
    }
    if let Some(condition) = condition {
        values.and_where(condition);
    }
    let mut insert = Query::insert();
    insert
        .into_table(M::Entity::default())
        .columns(columns())
        .select_from(values)
        .map_err(|err| DbErr::Custom(format!("building an insert: {err}")))?;
    Ok(insert)
}

/// Whether the database runs writes inside `WITH` (PostgreSQL does, SQLite
/// does not): there, two writes of one request go in one round trip.
pub(super) fn writes_in_with(backend: DbBackend) -> bool {
    backend == DbBackend::Postgres
}

/// `WITH name AS (query)`.
pub(super) fn with_clause(
    ctes: impl IntoIterator<Item = (&'static str, SubQueryStatement)>,
) -> WithClause {
    let mut with = WithClause::new();
    for (name, query) in ctes {
        with.cte(
            CommonTableExpression::new()
                .table_name(Alias::new(name))
                .query(query)
                .to_owned(),
        );
    }
    with
}

/// How a statement reaches a project's rows, which decides how it says
/// "of this project".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reach {
    /// By primary key (a model's or a version's id): the project only
    /// filters the row found.
    ByPrimaryKey,
    /// Through an index that starts with `project_id` (a list, or a name,
    /// unique in its project).
    ByProjectIndex,
}

/// Project scoping: `table.project_id = project`, the one condition every
/// statement that reads or changes a caller's rows carries (statements by
/// an id that such a statement found first excepted). By primary key it is
/// written `(...) IS TRUE`, so that it filters that row and PostgreSQL never
/// chooses an index by it. (Every `(project_id, ...)` index also ends with
/// `id`; on small tables such an index costs the same as the primary key,
/// and a plan that took it scans the whole project once the project has
/// grown.)
pub(super) fn in_project(table: Alias, project_id: Uuid, reach: Reach) -> Expr {
    let project = entity::model_registry_registered_model::Column::ProjectId;
    let condition = Expr::col((table, project)).eq(project_id);
    match reach {
        Reach::ByPrimaryKey => Expr::tuple([condition]).is(Expr::Constant(true.into())),
        Reach::ByProjectIndex => condition,
    }
}

/// `COALESCE(col, '')`: a lookup that found nothing reads as `""`.
pub(super) fn coalesce_empty(col: (Alias, impl IntoIden)) -> Expr {
    Func::coalesce([Expr::col(col), Expr::val("")]).into()
}

/// `labels` without any label, and `tags` with four empty arrays (a new
/// model's), as PostgreSQL prints them: the partial GIN indexes leave such
/// rows out (`src/db/indexes.rs`), so that most writes skip them.
pub const NO_LABELS: &str = "'{}'::jsonb";
pub const NO_TAGS: &str =
    r#"'{"tasks": [], "subjects": [], "frameworks": [], "architectures": []}'::jsonb"#;

/// A list filter: the JSON object in `column` (`labels`) maps `key` to the
/// string `value`. Containment on PostgreSQL (which a GIN index can serve),
/// `json_each` on SQLite: both exact, both on strings only.
pub(super) fn has_label(backend: DbBackend, column: Expr, label: &LabelFilter) -> Expr {
    let (key, value) = (
        Expr::val(label.key.as_str()),
        Expr::val(label.value.as_str()),
    );
    match backend {
        DbBackend::Sqlite => Expr::cust_with_exprs(
            "EXISTS (SELECT 1 FROM json_each(?) WHERE key = ? AND value = ? AND type = 'text')",
            [column, key, value],
        ),
        // The second condition, implied by the first, is the predicate of
        // the partial GIN index (rows without labels are not in it), and
        // must be written as the index writes it for PostgreSQL to use it.
        _ => Expr::cust_with_exprs(
            format!("($1 @> jsonb_build_object($2::text, $3::text) AND $1 <> {NO_LABELS})"),
            [column, key, value],
        ),
    }
}

/// A list filter: the array `array` of the JSON object in `column` (`tags`)
/// holds the string `value`.
pub(super) fn has_tag(backend: DbBackend, column: Expr, tag: &TagFilter) -> Expr {
    let (array, value) = (tag.array, Expr::val(tag.value.as_str()));
    match backend {
        DbBackend::Sqlite => Expr::cust_with_exprs(
            "EXISTS (SELECT 1 FROM json_each(?, ?) WHERE value = ? AND type = 'text')",
            [column, Expr::val(format!("$.{array}")), value],
        ),
        _ => Expr::cust_with_exprs(
            format!(
                "($1 @> jsonb_build_object($2::text, jsonb_build_array($3::text)) AND $1 <> {NO_TAGS})"
            ),
            [column, Expr::val(array), value],
        ),
    }
}

/// The direction of a list's sort.
pub(super) fn sql_order(order: SortOrder) -> sea_orm::sea_query::Order {
    match order {
        SortOrder::Asc => sea_orm::sea_query::Order::Asc,
        SortOrder::Desc => sea_orm::sea_query::Order::Desc,
    }
}

/// Escapes `%`, `_` and the escape character itself, so that a search
/// matches them literally.
pub(super) fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// A list page in two statements, each planned cheaply or once. The rows
/// of `ids` are the page's ids in order (one more than the page holds, to
/// tell whether more follow), each with `total`, the number of all matches;
/// then `details` reads those ids' rows, which `decode` makes records. A
/// page with no row (past the end, or of nothing) carries no total: then
/// `count` says it, unless the page starts at the first match, where it is
/// 0.
pub(super) async fn list_page<T, C: StatementBuilder>(
    conn: &impl ConnectionTrait,
    page: &Page,
    ids: &impl StatementBuilder,
    count: impl FnOnce() -> C,
    details: impl FnOnce(&[Uuid]) -> Statement,
    decode: impl Fn(&QueryResult) -> Result<T, DbErr>,
) -> Result<Listed<T>, DbErr> {
    let rows = conn.query_all(ids).await?;
    let Some(first) = rows.first() else {
        let total = if page.is_first() {
            0
        } else {
            count_rows(conn, &count()).await?
        };
        return Ok(Listed {
            items: Vec::new(),
            total,
            more: false,
        });
    };
    let total: i64 = get(first, "total")?;
    let mut ids = rows
        .iter()
        .map(|row| get(row, "id"))
        .collect::<Result<Vec<Uuid>, _>>()?;
    let limit = usize::try_from(page.limit).unwrap_or(usize::MAX);
    let more = ids.len() > limit;
    ids.truncate(limit);
    let items = conn
        .query_all_raw(details(&ids))
        .await?
        .iter()
        .map(decode)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Listed {
        items,
        total: u64::try_from(total).unwrap_or(0),
        more,
    })
}

/// A page's ids for its second statement (`id IN (...)`), padded to a
/// power of two by repeating the last, so that pages of any size share a
/// few statements, each prepared (and cached) once per connection.
pub(super) fn padded_ids(ids: &[Uuid]) -> Vec<Uuid> {
    let slots = ids.len().next_power_of_two();
    let padding = ids.last().into_iter().cycle().take(slots - ids.len());
    ids.iter().chain(padding).copied().collect()
}

/// `SELECT COUNT(*) ...`'s answer.
pub(super) async fn count_rows(
    conn: &impl ConnectionTrait,
    q: &impl StatementBuilder,
) -> Result<u64, DbErr> {
    let row = conn
        .query_one(q)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("COUNT(*) returned no row".into()))?;
    let count: i64 = row.try_get_by_index(0)?;
    Ok(u64::try_from(count).unwrap_or(0))
}

fn decode_err(err: DbErr) -> DbErr {
    DbErr::Type(format!("decoding a row: {err}"))
}

pub(super) fn get<T: sea_orm::TryGetable>(row: &QueryResult, column: &str) -> Result<T, DbErr> {
    row.try_get("", column).map_err(decode_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_filter_by_key_is_no_index_condition() {
        use sea_orm::sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};
        let mut q = Query::select();
        q.expr(Expr::val(1))
            .from_as(
                entity::model_registry_registered_model::Entity,
                Alias::new("m"),
            )
            .and_where(in_project(
                Alias::new("m"),
                PROJECT_SLOT,
                Reach::ByPrimaryKey,
            ));
        let project = format!("'{PROJECT_SLOT}'");
        assert!(
            q.to_string(PostgresQueryBuilder)
                .ends_with(&format!(r#"WHERE ("m"."project_id" = {project}) IS TRUE"#)),
            "{}",
            q.to_string(PostgresQueryBuilder)
        );
        let (sql, _) = q.build(SqliteQueryBuilder);
        assert!(
            sql.ends_with(r#"WHERE ("m"."project_id" = ?) IS TRUE"#),
            "{sql}"
        );
    }

    #[test]
    fn a_read_by_id_sends_only_the_requests_values_as_parameters() {
        let lookups = Lookups {
            users: true,
            regions: true,
        };
        let (project, id) = (Uuid::new_v4(), Uuid::new_v4());
        for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
            let statement =
                super::super::models::model_by_id(backend, lookups, PROJECT_SLOT, ID_SLOT);
            let bound = Rendered::new(backend, &statement).bind(project, id, None);
            let values = bound.values.map(|values| values.0).unwrap_or_default();
            assert_eq!(values, vec![id.into(), project.into()], "{}", bound.sql);
            assert!(bound.sql.contains("LIMIT 1"), "{}", bound.sql);
            assert!(!bound.sql.contains("5107"), "{}", bound.sql);
        }
    }

    #[test]
    fn like_metacharacters_are_escaped() {
        assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
        assert_eq!(escape_like("plain"), "plain");
    }
}
