//! The two backends behind one small interface: SQL with `?` placeholders, values of four kinds,
//! rows as vectors. SQLite (rusqlite, bundled) is the embedded default; PostgreSQL (the synchronous
//! `postgres` client) serves teams. The SQL the store writes is the common subset of both dialects;
//! the only per-backend statements are the full-text ones (`search.rs`) and the migrations.

use crate::StoreError;
use std::collections::HashMap;

/// A value bound to, or read from, a statement.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// An integer (BIGINT).
    Int(i64),
    /// A float (DOUBLE PRECISION).
    Real(f64),
    /// Text.
    Text(String),
}

impl Value {
    /// The text, if this is text.
    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The text, or an empty string.
    pub fn string(&self) -> String {
        self.text().unwrap_or_default().to_string()
    }

    /// The integer, or 0.
    pub fn int(&self) -> i64 {
        match self {
            Value::Int(i) => *i,
            Value::Real(f) => *f as i64,
            Value::Text(s) => s.parse().unwrap_or(0),
            Value::Null => 0,
        }
    }

    /// The number as a float, or 0.
    pub fn real(&self) -> f64 {
        match self {
            Value::Int(i) => *i as f64,
            Value::Real(f) => *f,
            Value::Text(s) => s.parse().unwrap_or(0.0),
            Value::Null => 0.0,
        }
    }

    /// `None` for NULL, else the text.
    pub fn opt_text(&self) -> Option<String> {
        self.text().map(str::to_string)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}

impl From<&String> for Value {
    fn from(s: &String) -> Value {
        Value::Text(s.clone())
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}

impl From<usize> for Value {
    fn from(i: usize) -> Value {
        Value::Int(i64::try_from(i).unwrap_or(i64::MAX))
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Int(i64::from(b))
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

/// A result row.
pub type Row = Vec<Value>;

/// Which backend a connection talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file.
    Sqlite,
    /// A PostgreSQL database.
    Postgres,
}

/// An open connection to either backend.
pub enum Conn {
    /// SQLite.
    Sqlite(rusqlite::Connection),
    /// PostgreSQL, with its prepared statements by SQL text.
    Postgres(Box<postgres::Client>, HashMap<String, postgres::Statement>),
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Conn::Sqlite(_) => "Conn::Sqlite",
            Conn::Postgres(..) => "Conn::Postgres",
        })
    }
}

/// `?` placeholders → `$1, $2 …` (the store's SQL has no `?` inside string literals).
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Real(f) => ToSqlOutput::Borrowed(ValueRef::Real(*f)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        })
    }
}

impl postgres::types::ToSql for Value {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::{IsNull, Type};
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => i.to_string().to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ => f.to_sql(ty, out),
            },
            Value::Text(s) => s.as_str().to_sql(ty, out),
        }
    }

    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

fn pg_value(row: &postgres::Row, i: usize) -> Result<Value, postgres::Error> {
    use postgres::types::Type;
    let ty = row.columns()[i].type_().clone();
    Ok(match ty {
        Type::VOID => Value::Null,
        Type::INT8 => row
            .try_get::<_, Option<i64>>(i)?
            .map_or(Value::Null, Value::Int),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)?
            .map_or(Value::Null, |v| Value::Int(v.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)?
            .map_or(Value::Null, |v| Value::Int(v.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)?
            .map_or(Value::Null, |v| Value::Int(v.into())),
        Type::FLOAT8 => row
            .try_get::<_, Option<f64>>(i)?
            .map_or(Value::Null, Value::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(i)?
            .map_or(Value::Null, |v| Value::Real(v.into())),
        _ => row
            .try_get::<_, Option<String>>(i)?
            .map_or(Value::Null, Value::Text),
    })
}

fn sqlite_value(v: rusqlite::types::ValueRef<'_>) -> Value {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) | ValueRef::Blob(t) => {
            Value::Text(String::from_utf8_lossy(t).into_owned())
        }
    }
}

impl Conn {
    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres(..) => Backend::Postgres,
        }
    }

    /// Runs a statement; returns the number of rows it changed.
    pub fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        match self {
            Conn::Sqlite(c) => {
                let mut st = c.prepare_cached(sql)?;
                let n = st.execute(rusqlite::params_from_iter(params.iter()))?;
                Ok(n as u64)
            }
            Conn::Postgres(c, cache) => {
                let st = pg_statement(c, cache, sql)?;
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = params
                    .iter()
                    .map(|p| p as &(dyn postgres::types::ToSql + Sync))
                    .collect();
                Ok(c.execute(&st, &refs)?)
            }
        }
    }

    /// Runs a query; returns its rows.
    pub fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        match self {
            Conn::Sqlite(c) => {
                let mut st = c.prepare_cached(sql)?;
                let n = st.column_count();
                let mut rows = st.query(rusqlite::params_from_iter(params.iter()))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    let mut row = Vec::with_capacity(n);
                    for i in 0..n {
                        row.push(sqlite_value(r.get_ref(i)?));
                    }
                    out.push(row);
                }
                Ok(out)
            }
            Conn::Postgres(c, cache) => {
                let st = pg_statement(c, cache, sql)?;
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = params
                    .iter()
                    .map(|p| p as &(dyn postgres::types::ToSql + Sync))
                    .collect();
                let rows = c.query(&st, &refs)?;
                let mut out = Vec::with_capacity(rows.len());
                for r in &rows {
                    let mut row = Vec::with_capacity(r.len());
                    for i in 0..r.len() {
                        row.push(pg_value(r, i)?);
                    }
                    out.push(row);
                }
                Ok(out)
            }
        }
    }

    /// The first row of a query, if any.
    pub fn query_one(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// Runs several statements without parameters.
    pub fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        match self {
            Conn::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Conn::Postgres(c, _) => Ok(c.batch_execute(sql)?),
        }
    }

    /// Starts a transaction that takes the write lock at once (SQLite `BEGIN IMMEDIATE`).
    pub fn begin(&mut self) -> Result<(), StoreError> {
        match self {
            Conn::Sqlite(c) => Ok(c.execute_batch("BEGIN IMMEDIATE")?),
            Conn::Postgres(c, _) => Ok(c.batch_execute("BEGIN")?),
        }
    }

    /// Commits the open transaction.
    pub fn commit(&mut self) -> Result<(), StoreError> {
        self.batch("COMMIT")
    }

    /// Rolls the open transaction back (errors are ignored: there may be none open).
    pub fn rollback(&mut self) {
        let _ = self.batch("ROLLBACK");
    }
}

fn pg_statement(
    c: &mut postgres::Client,
    cache: &mut HashMap<String, postgres::Statement>,
    sql: &str,
) -> Result<postgres::Statement, StoreError> {
    if let Some(st) = cache.get(sql) {
        return Ok(st.clone());
    }
    let st = c.prepare(&numbered(sql))?;
    cache.insert(sql.to_string(), st.clone());
    Ok(st)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        assert_eq!(
            numbered("SELECT a FROM t WHERE b = ? AND c IN (?, ?)"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)"
        );
    }

    #[test]
    fn values_round_trip_through_sqlite() {
        let mut c = Conn::Sqlite(rusqlite::Connection::open_in_memory().unwrap());
        c.batch("CREATE TABLE t (a TEXT, b BIGINT, c DOUBLE PRECISION, d TEXT)")
            .unwrap();
        c.exec(
            "INSERT INTO t VALUES (?, ?, ?, ?)",
            &["Kılıç".into(), 7i64.into(), Value::Real(0.5), Value::Null],
        )
        .unwrap();
        let rows = c.query("SELECT a, b, c, d FROM t", &[]).unwrap();
        assert_eq!(
            rows,
            [vec![
                Value::Text("Kılıç".into()),
                Value::Int(7),
                Value::Real(0.5),
                Value::Null
            ]]
        );
        assert_eq!(Value::from(Some("x")), Value::Text("x".into()));
        assert_eq!(Value::from(None::<String>), Value::Null);
        assert_eq!(Value::from(true).int(), 1);
    }
}
