//! The statements assembled from a request's filters, with sea-query: a
//! list's page of ids and its count, the label, tag and search conditions,
//! and the keyset condition of a page token. Everything found by key is
//! literal SQL (`statements.rs`).

use sea_orm::{
    ConnectionTrait, DbBackend, DbErr, QueryResult, Statement, StatementBuilder, Value,
    sea_query::{Alias, Expr, ExprTrait, IntoIden},
};
use uuid::Uuid;

use super::statements::Sql;
use crate::domain::{Cursor, LabelFilter, Page, PageBounds, SortOrder, SortValue, TagFilter};

/// A sort key as the column holds it.
fn sort_key_value(key: &SortValue) -> Value {
    match key {
        // Bound as the columns were written (with their offset), so that
        // SQLite compares the same text it stored.
        SortValue::Time(time) => time.fixed_offset().into(),
        SortValue::Text(text) => text.clone().into(),
        SortValue::Number(n) => (*n).into(),
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

/// How every list reads a page: `ids` (from the filters) gives its ids, one
/// more than it holds, each with the total; `details` reads those rows
/// whole. An empty page past the first asks `count` (docs/design.md).
pub(super) async fn list_page<T, C: StatementBuilder>(
    conn: &impl ConnectionTrait,
    page: &PageBounds,
    ids: &impl StatementBuilder,
    count: impl FnOnce() -> C,
    details: &Sql,
    decode: impl Fn(&QueryResult) -> Result<T, DbErr>,
) -> Result<Page<T>, DbErr> {
    let rows = conn.query_all(ids).await?;
    let Some(first) = rows.first() else {
        let total = if page.is_first() {
            0
        } else {
            count_rows(conn, conn.get_database_backend().build(&count())).await?
        };
        return Ok(Page::new(Vec::new(), total, false, page));
    };
    let total: i64 = get(first, "total")?;
    let mut ids = rows
        .iter()
        .map(|row| get(row, "id"))
        .collect::<Result<Vec<Uuid>, _>>()?;
    let limit = usize::try_from(page.limit).unwrap_or(usize::MAX);
    let more = ids.len() > limit;
    ids.truncate(limit);
    let backend = conn.get_database_backend();
    let items = conn
        .query_all_raw(details.bind(backend, [ids_as_json(&ids)]))
        .await?
        .iter()
        .map(decode)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::new(
        items,
        u64::try_from(total).unwrap_or(0),
        more,
        page,
    ))
}

/// A page's ids as the details statements take them: a JSON array.
pub(super) fn ids_as_json(ids: &[Uuid]) -> Value {
    let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    serde_json::Value::from(ids).to_string().into()
}

/// `SELECT COUNT(*) ...`'s answer.
pub(super) async fn count_rows(
    conn: &impl ConnectionTrait,
    statement: Statement,
) -> Result<u64, DbErr> {
    let row = conn
        .query_one_raw(statement)
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

/// Each row's `first` and `second` columns, in the rows' order.
pub(super) fn pairs<A: sea_orm::TryGetable, B: sea_orm::TryGetable>(
    rows: &[QueryResult],
    (first, second): (&str, &str),
) -> Result<Vec<(A, B)>, DbErr> {
    rows.iter()
        .map(|row| Ok((get(row, first)?, get(row, second)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_metacharacters_are_escaped() {
        assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
        assert_eq!(escape_like("plain"), "plain");
    }
}
