//! The connections a write runs on. A SQLite write transaction holds one
//! pooled connection from `BEGIN` to `COMMIT`, and sends `BEGIN` with its
//! first query (and, for a write of one statement, `COMMIT` with it too):
//! each call is a hand-off to the connection's thread and back
//! (docs/performance.md).

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use sea_orm::{
    ConnAcquireErr, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    ExecResult, QueryResult, RuntimeErr, Statement,
    sea_query::Values,
    sqlx::{self, Sqlite, SqlitePool, pool::PoolConnection},
};
use sea_query_sqlx::SqlxValues;
use tokio::sync::Mutex;

const BEGIN: &str = "BEGIN IMMEDIATE";

/// Counts one statement sent.
pub type CountStatement = Arc<dyn Fn() + Send + Sync>;

/// A write transaction. Dropped unfinished, it rolls back before its
/// connection goes back to the pool.
pub struct SqliteWrite {
    conn: Mutex<Option<PoolConnection<Sqlite>>>,
    begun: AtomicBool,
    finished: AtomicBool,
    one_statement: bool,
    count_statement: Option<CountStatement>,
}

impl SqliteWrite {
    /// Takes a connection of the pool; sends nothing yet. With
    /// `one_statement`, the transaction's first write also commits it.
    pub(super) async fn begin(
        pool: &SqlitePool,
        one_statement: bool,
        count_statement: Option<CountStatement>,
    ) -> Result<Self, DbErr> {
        let conn = pool.acquire().await.map_err(|err| match err {
            sqlx::Error::PoolTimedOut => DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
            sqlx::Error::PoolClosed => DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed),
            err => DbErr::Conn(RuntimeErr::SqlxError(Arc::new(err))),
        })?;
        Ok(SqliteWrite {
            conn: Mutex::new(Some(conn)),
            begun: AtomicBool::new(false),
            finished: AtomicBool::new(false),
            one_statement,
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
        if let Some(count) = &self.count_statement {
            count();
        }
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
            .map_err(|err| DbErr::Query(RuntimeErr::SqlxError(Arc::new(err))))?;
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

    /// Runs a write; whether it changed a row. The first write of a
    /// one-statement transaction goes with `BEGIN` and `COMMIT` in one call,
    /// its changes counted by `total_changes()` on either side.
    pub(super) async fn write(&self, statement: Statement) -> Result<bool, DbErr> {
        if !self.one_statement || self.begun.swap(true, Ordering::SeqCst) {
            return Ok(self.execute_raw(statement).await?.rows_affected() > 0);
        }
        let sql = format!(
            "{BEGIN};\nSELECT total_changes() AS changes;\n{};\n\
             SELECT total_changes() AS changes;\nCOMMIT",
            statement.sql
        );
        self.count();
        let rows = self.fetch(&sql, statement.values).await?;
        self.finished.store(true, Ordering::SeqCst);
        let count = |row: Option<&QueryResult>| -> Result<i64, DbErr> {
            row.map_or(Ok(0), |row| row.try_get("", "changes"))
        };
        Ok(count(rows.last())? > count(rows.first())?)
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

impl Drop for SqliteWrite {
    fn drop(&mut self) {
        if !self.begun.load(Ordering::SeqCst) || self.finished.load(Ordering::SeqCst) {
            return;
        }
        let Some(mut conn) = self.conn.get_mut().take() else {
            return;
        };
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                // Fails harmlessly when `BEGIN` itself failed.
                if let Err(err) = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await {
                    tracing::debug!(error = %err, "rolling back a SQLite write");
                }
            });
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

impl Writes for WriteConnection {
    async fn write(&self, statement: Statement) -> Result<bool, DbErr> {
        match self {
            WriteConnection::Pooled(txn) => txn.write(statement).await,
            WriteConnection::Sqlite(write) => write.write(statement).await,
        }
    }
}

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
