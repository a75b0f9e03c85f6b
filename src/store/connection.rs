//! The connections a write runs on. A SQLite write transaction holds one
//! pooled connection from `BEGIN` to `COMMIT` and sends `BEGIN` with its
//! first query; SQLite's writes of one statement are committed in groups
//! ([`GroupCommit`]). Each call is a hand-off to the connection's thread
//! and back (docs/performance.md).

use std::{
    collections::VecDeque,
    sync::{
        Arc, PoisonError,
        atomic::{AtomicBool, Ordering},
    },
};

use sea_orm::{
    ConnAcquireErr, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    ExecResult, QueryResult, RuntimeErr, Statement,
    sea_query::Values,
    sqlx::{self, Row, Sqlite, SqlitePool, pool::PoolConnection},
};
use sea_query_sqlx::SqlxValues;
use tokio::sync::{Mutex, oneshot};

use super::errors::is_unavailable;

const BEGIN: &str = "BEGIN IMMEDIATE";

/// Counts one statement sent.
pub type CountStatement = Arc<dyn Fn() + Send + Sync>;

/// A write transaction. Dropped unfinished, it rolls back before its
/// connection goes back to the pool.
pub struct SqliteWrite {
    conn: Mutex<Option<PoolConnection<Sqlite>>>,
    begun: AtomicBool,
    finished: AtomicBool,
    count_statement: Option<CountStatement>,
}

impl SqliteWrite {
    /// Takes a connection of the pool; sends nothing yet.
    pub(super) async fn begin(
        pool: &SqlitePool,
        count_statement: Option<CountStatement>,
    ) -> Result<Self, DbErr> {
        Ok(SqliteWrite {
            conn: Mutex::new(Some(acquire(pool).await?)),
            begun: AtomicBool::new(false),
            finished: AtomicBool::new(false),
            count_statement,
        })
    }

    /// `sql`, after `BEGIN` when it is the transaction's first.
    fn opening(&self, sql: &str) -> String {
        match self.begun.swap(true, Ordering::SeqCst) {
            false => format!("{BEGIN};\n{sql}"),
            true => sql.to_owned(),
        }
    }

    /// Counts a statement of the transaction's own (`BEGIN` and `COMMIT`
    /// aside, as the pool counts them).
    fn count(&self) {
        count(&self.count_statement, 1);
    }

    async fn execute(&self, sql: &str, values: Option<Values>) -> Result<ExecResult, DbErr> {
        let mut conn = self.conn.lock().await;
        let conn = conn.as_mut().ok_or_else(finished)?;
        let values = SqlxValues(values.unwrap_or_else(|| Values(Vec::new())));
        sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
            .execute(&mut **conn)
            .await
            .map(ExecResult::from)
            .map_err(|err| DbErr::Exec(RuntimeErr::SqlxError(Arc::new(err))))
    }

    async fn fetch(&self, sql: &str, values: Option<Values>) -> Result<Vec<QueryResult>, DbErr> {
        let mut conn = self.conn.lock().await;
        let conn = conn.as_mut().ok_or_else(finished)?;
        let values = SqlxValues(values.unwrap_or_else(|| Values(Vec::new())));
        let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
            .fetch_all(&mut **conn)
            .await
            .map_err(query_error)?;
        Ok(rows.into_iter().map(QueryResult::from).collect())
    }

    /// Sends `BEGIN` alone, where the first statement's count of changed
    /// rows matters (a `BEGIN` in its call would add the last write's).
    async fn open(&self) -> Result<(), DbErr> {
        if !self.begun.swap(true, Ordering::SeqCst) {
            self.execute(BEGIN, None).await?;
        }
        Ok(())
    }

    pub(super) async fn commit(self) -> Result<(), DbErr> {
        if self.begun.load(Ordering::SeqCst) && !self.finished.load(Ordering::SeqCst) {
            self.execute("COMMIT", None).await?;
        }
        self.finished.store(true, Ordering::SeqCst);
        Ok(())
    }
}

fn finished() -> DbErr {
    DbErr::Custom("the transaction has ended".into())
}

async fn acquire(pool: &SqlitePool) -> Result<PoolConnection<Sqlite>, DbErr> {
    pool.acquire().await.map_err(|err| match err {
        sqlx::Error::PoolTimedOut => DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
        sqlx::Error::PoolClosed => DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed),
        err => DbErr::Conn(RuntimeErr::SqlxError(Arc::new(err))),
    })
}

fn query_error(err: sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(Arc::new(err)))
}

fn count(count_statement: &Option<CountStatement>, statements: usize) {
    if let Some(count) = count_statement {
        (0..statements).for_each(|_| count());
    }
}

impl Drop for SqliteWrite {
    fn drop(&mut self) {
        if !self.begun.load(Ordering::SeqCst) || self.finished.load(Ordering::SeqCst) {
            return;
        }
        let Some(mut conn) = self.conn.get_mut().take() else {
            return;
        };
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(roll_back(conn));
        } else {
            // No runtime to roll back on: the connection is closed instead.
            conn.close_on_drop();
        }
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for SqliteWrite {
    fn get_database_backend(&self) -> DbBackend {
        DbBackend::Sqlite
    }

    async fn execute_raw(&self, statement: Statement) -> Result<ExecResult, DbErr> {
        self.open().await?;
        self.count();
        self.execute(&statement.sql, statement.values).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.open().await?;
        self.count();
        self.execute(sql, None).await
    }

    async fn query_one_raw(&self, statement: Statement) -> Result<Option<QueryResult>, DbErr> {
        Ok(self.query_all_raw(statement).await?.into_iter().next())
    }

    async fn query_all_raw(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        let sql = self.opening(&statement.sql);
        self.count();
        self.fetch(&sql, statement.values).await
    }
}

/// A transaction's connection.
pub enum WriteConnection {
    Pooled(DatabaseTransaction),
    Sqlite(SqliteWrite),
}

/// What a write with events runs on: the pool, or a transaction.
pub trait Writes: ConnectionTrait + Sync {
    /// Runs a write statement; whether it changed a row.
    fn write(&self, statement: Statement) -> impl Future<Output = Result<bool, DbErr>> + Send {
        async move { Ok(self.execute_raw(statement).await?.rows_affected() > 0) }
    }
}

impl Writes for DatabaseConnection {}

impl Writes for DatabaseTransaction {}

impl Writes for WriteConnection {}

#[async_trait::async_trait]
impl ConnectionTrait for WriteConnection {
    fn get_database_backend(&self) -> DbBackend {
        match self {
            WriteConnection::Pooled(txn) => txn.get_database_backend(),
            WriteConnection::Sqlite(write) => write.get_database_backend(),
        }
    }

    async fn execute_raw(&self, statement: Statement) -> Result<ExecResult, DbErr> {
        match self {
            WriteConnection::Pooled(txn) => txn.execute_raw(statement).await,
            WriteConnection::Sqlite(write) => write.execute_raw(statement).await,
        }
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        match self {
            WriteConnection::Pooled(txn) => txn.execute_unprepared(sql).await,
            WriteConnection::Sqlite(write) => write.execute_unprepared(sql).await,
        }
    }

    async fn query_one_raw(&self, statement: Statement) -> Result<Option<QueryResult>, DbErr> {
        match self {
            WriteConnection::Pooled(txn) => txn.query_one_raw(statement).await,
            WriteConnection::Sqlite(write) => write.query_one_raw(statement).await,
        }
    }

    async fn query_all_raw(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match self {
            WriteConnection::Pooled(txn) => txn.query_all_raw(statement).await,
            WriteConnection::Sqlite(write) => write.query_all_raw(statement).await,
        }
    }
}

/// SQLite's writes of one statement, committed in groups: those waiting
/// when a group starts go in one call (`BEGIN`, each write, `COMMIT`), one
/// hand-off to the connection's thread and one commit (docs/design.md).
#[derive(Clone)]
pub struct GroupCommit {
    pool: SqlitePool,
    queue: Arc<std::sync::Mutex<Queue>>,
    count_statement: Option<CountStatement>,
}

/// At most this many writes in a group: the group's statement is prepared
/// once per size and kind, and its pages fit in the connection's cache.
const MOST_IN_A_GROUP: usize = 16;

#[derive(Default)]
struct Queue {
    waiting: VecDeque<Waiting>,
    /// Whether a task is running the groups.
    running: bool,
}

struct Waiting {
    statement: Statement,
    answer: oneshot::Sender<Result<bool, DbErr>>,
}

/// Why a group did not commit.
enum GroupFailed {
    /// An error a write may have caused alone (a constraint, a value).
    ByAWrite(DbErr),
    /// The database, the pool, or a commit that went through unreadable.
    Whole(DbErr),
}

impl GroupCommit {
    pub(super) fn new(pool: SqlitePool, count_statement: Option<CountStatement>) -> Self {
        GroupCommit {
            pool,
            queue: Arc::default(),
            count_statement,
        }
    }

    /// Runs the groups until no write waits. A task of its own, so that a
    /// cancelled request never leaves a group half sent.
    async fn run(self) {
        let _restartable = Restartable(&self);
        while let Some(group) = self.next_group() {
            self.commit(group).await;
        }
    }

    /// The next group: the first waiting write and those after it with the
    /// same statement.
    fn next_group(&self) -> Option<Vec<Waiting>> {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(first) = queue.waiting.pop_front() else {
            queue.running = false;
            return None;
        };
        let mut group = vec![first];
        let mut others = VecDeque::new();
        while let Some(waiting) = queue.waiting.pop_front() {
            if group.len() < MOST_IN_A_GROUP && waiting.statement.sql == group[0].statement.sql {
                group.push(waiting);
            } else {
                others.push_back(waiting);
            }
        }
        queue.waiting = others;
        Some(group)
    }

    /// Commits a group and answers each write. When a write may have made
    /// the group fail, its writes are sent again one by one, so that each
    /// gets its own answer.
    async fn commit(&self, group: Vec<Waiting>) {
        let error = match self.send(&group).await {
            Ok(changed) => {
                for (waiting, changed) in group.into_iter().zip(changed) {
                    let _ = waiting.answer.send(Ok(changed));
                }
                return;
            }
            Err(GroupFailed::ByAWrite(error)) if group.len() > 1 => {
                tracing::debug!(%error, "a SQLite group failed; its writes go one by one");
                for waiting in group {
                    let answer = match self.send(std::slice::from_ref(&waiting)).await {
                        Ok(changed) => Ok(changed.contains(&true)),
                        Err(GroupFailed::ByAWrite(error) | GroupFailed::Whole(error)) => Err(error),
                    };
                    let _ = waiting.answer.send(answer);
                }
                return;
            }
            Err(GroupFailed::ByAWrite(error) | GroupFailed::Whole(error)) => error,
        };
        for waiting in group {
            let _ = waiting.answer.send(Err(error.clone()));
        }
    }

    /// Sends a group in one call, in one transaction; whether each write
    /// changed a row, from `total_changes()` read before and after each.
    async fn send(&self, group: &[Waiting]) -> Result<Vec<bool>, GroupFailed> {
        let mut conn = acquire(&self.pool).await.map_err(GroupFailed::Whole)?;
        let total = "SELECT total_changes() AS changes;\n";
        let mut sql = format!("{BEGIN};\n{total}");
        let mut values = Vec::new();
        for waiting in group {
            sql.push_str(&renumbered(&waiting.statement.sql, values.len()));
            sql.push_str("\n;\n");
            sql.push_str(total);
            values.extend(
                waiting
                    .statement
                    .values
                    .iter()
                    .flat_map(|v| v.0.iter().cloned()),
            );
        }
        sql.push_str("COMMIT");
        count(&self.count_statement, group.len());
        let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql), SqlxValues(Values(values)))
            .fetch_all(&mut *conn)
            .await;
        let rows = match rows {
            Ok(rows) => rows,
            Err(err) => {
                roll_back(conn).await;
                let error = query_error(err);
                return Err(match is_unavailable(&error) {
                    true => GroupFailed::Whole(error),
                    false => GroupFailed::ByAWrite(error),
                });
            }
        };
        // Committed: whatever follows, the writes are not sent again.
        let totals = rows
            .iter()
            .map(|row| row.try_get::<i64, _>("changes"))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| GroupFailed::Whole(query_error(err)))?;
        if totals.len() != group.len() + 1 {
            let error = DbErr::Custom("a group of writes answered unexpected rows".into());
            return Err(GroupFailed::Whole(error));
        }
        Ok(totals.windows(2).map(|pair| pair[1] > pair[0]).collect())
    }
}

/// Should the task running the groups panic, another takes the writes still
/// waiting (those of the group it was sending are answered with an error).
struct Restartable<'a>(&'a GroupCommit);

impl Drop for Restartable<'_> {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            return;
        }
        let mut queue = self.0.queue.lock().unwrap_or_else(PoisonError::into_inner);
        queue.running = false;
        if !queue.waiting.is_empty()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            queue.running = true;
            runtime.spawn(self.0.clone().run());
        }
    }
}

/// Rolls back what a failed call left open. A connection that cannot roll
/// back (other than for having no transaction) is closed, not pooled.
async fn roll_back(mut conn: PoolConnection<Sqlite>) {
    if let Err(err) = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await {
        let no_transaction = err.to_string().contains("no transaction is active");
        if !no_transaction {
            tracing::warn!(error = %err, "rolling back a SQLite write failed; closing its connection");
            conn.close_on_drop();
        }
    }
}

/// `sql` with its parameters `$n` numbered after `before` others.
fn renumbered(sql: &str, before: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        match rest[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&(n + before).to_string()),
            Err(_) => out.push_str(&rest[..digits]),
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

impl Writes for GroupCommit {
    async fn write(&self, statement: Statement) -> Result<bool, DbErr> {
        let (answer, answered) = oneshot::channel();
        let start = {
            let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
            queue.waiting.push_back(Waiting { statement, answer });
            !std::mem::replace(&mut queue.running, true)
        };
        if start {
            tokio::spawn(self.clone().run());
        }
        answered
            .await
            .map_err(|_| DbErr::Custom("the group of writes ended unanswered".into()))?
    }
}

/// Only [`Writes::write`] runs in a group; the rest is refused.
#[async_trait::async_trait]
impl ConnectionTrait for GroupCommit {
    fn get_database_backend(&self) -> DbBackend {
        DbBackend::Sqlite
    }

    async fn execute_raw(&self, _: Statement) -> Result<ExecResult, DbErr> {
        Err(only_writes())
    }

    async fn execute_unprepared(&self, _: &str) -> Result<ExecResult, DbErr> {
        Err(only_writes())
    }

    async fn query_one_raw(&self, _: Statement) -> Result<Option<QueryResult>, DbErr> {
        Err(only_writes())
    }

    async fn query_all_raw(&self, _: Statement) -> Result<Vec<QueryResult>, DbErr> {
        Err(only_writes())
    }
}

fn only_writes() -> DbErr {
    DbErr::Custom("a group commit runs writes of one statement only".into())
}

#[cfg(test)]
mod tests {
    use sea_orm::DbBackend;

    use super::renumbered;
    use crate::store::statements::{INSERT_MODEL, INSERT_VERSION, UPDATE_VERSION, parameter_names};

    /// Renumbering reads every `$` followed by digits as a parameter, and a
    /// parameter past a write's own values would read the next write's.
    #[test]
    fn grouped_statements_use_dollar_signs_only_for_their_own_parameters() {
        for statement in [&INSERT_MODEL, &INSERT_VERSION, &UPDATE_VERSION] {
            let sql = statement.text(DbBackend::Sqlite);
            let documented = parameter_names(sql).len();
            for (at, _) in sql.match_indices('$') {
                let digits: String = sql[at + 1..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                let n: usize = digits.parse().unwrap_or(0);
                assert!(
                    (1..=documented).contains(&n),
                    "{}: ${digits} at {at}",
                    statement.name
                );
            }
        }
    }

    #[test]
    fn parameters_are_numbered_after_the_group_before_them() {
        assert_eq!(
            renumbered("SELECT $1, $12 -- $2\nWHERE x = '$'", 20),
            "SELECT $21, $32 -- $22\nWHERE x = '$'"
        );
    }
}
