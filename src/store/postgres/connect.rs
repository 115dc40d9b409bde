//! Reaching the server: what a `postgres://` URL and the libpq environment variables ask for,
//! the first connection made once and without retries (so a refused connection or an
//! unknown host is said at once, in the server's or the system's words, with what to do),
//! the waits econtrack sets on the server, and URLs shown with their password masked.
//!
//! sqlx reads the URL and, for what the URL leaves out, `PGHOST`, `PGPORT`, `PGUSER`,
//! `PGDATABASE`, `PGPASSWORD`, `PGPASSFILE` (else `~/.pgpass`), `PGSSLMODE`, `PGAPPNAME`
//! and `PGOPTIONS`. Two things it does not do are done here: `connect_timeout` (a libpq
//! parameter sqlx ignores with a warning) and a first connection that is not retried (a
//! pool retries a refused connection until its acquire timeout, 30 s, and then says only
//! "pool timed out").

use crate::store::error::{Result, StoreContext, StoreError};
use sqlx::postgres::{PgConnectOptions, PgDatabaseError};
use sqlx::{ConnectOptions, Connection};
use std::str::FromStr;
use std::time::Duration;

/// How long the first connection may take when the URL gives no `connect_timeout`: time for a
/// distant server to answer, not for a silent one to be waited on for minutes.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a statement waits for a lock another session holds before it gives up, unless the
/// URL or `PGOPTIONS` sets `lock_timeout` itself: SQLite's busy timeout, on the server.
const DEFAULT_LOCK_TIMEOUT: &str = "30s";

/// What the server sees as this client's name (pg_stat_activity), unless `application_name`
/// or `PGAPPNAME` says otherwise: so that another user's lock report names econtrack.
const APPLICATION_NAME: &str = "econtrack";

/// A parsed server location: the options sqlx connects with and how long connecting may take.
pub struct Target {
    pub options: PgConnectOptions,
    pub connect_timeout: Duration,
}

impl Target {
    /// Reads `url` (and, through sqlx, the environment). `connect_timeout=N` (seconds, as in
    /// libpq; 0 waits without limit) is taken out before sqlx reads the rest.
    pub fn parse(url: &str) -> Result<Target> {
        let (rest, connect_timeout) = take_connect_timeout(url)?;
        let mut options = PgConnectOptions::from_str(&rest).store_context("bad database URL")?;
        if options.get_application_name().is_none() {
            options = options.application_name(APPLICATION_NAME);
        }
        if !options.get_options().is_some_and(|set| set.contains("lock_timeout")) {
            options = options.options([("lock_timeout", DEFAULT_LOCK_TIMEOUT)]);
        }
        // sqlx logs every statement at INFO through `log`; nothing here installs a logger,
        // but say so explicitly rather than depend on it.
        options = options.disable_statement_logging();
        Ok(Target { options, connect_timeout })
    }

    /// Connects once, without retrying, within the connect timeout, and closes the
    /// connection: a failure comes back as [`StoreError::Unreachable`] saying why and what to do.
    pub async fn probe(&self) -> Result<()> {
        let connect = sqlx::PgConnection::connect_with(&self.options);
        let outcome = if self.connect_timeout.is_zero() {
            Ok(connect.await)
        } else {
            tokio::time::timeout(self.connect_timeout, connect).await
        };
        match outcome {
            Ok(Ok(conn)) => {
                conn.close().await.ok();
                Ok(())
            }
            Ok(Err(err)) => Err(StoreError::Unreachable(self.explain(err))),
            Err(_) => Err(StoreError::Unreachable(Unreachable::TimedOut {
                place: self.place(),
                seconds: self.connect_timeout.as_secs(),
            })),
        }
    }

    /// Where the client tried to connect, as the user would write it.
    fn place(&self) -> String {
        match self.options.get_socket() {
            Some(socket) => socket.display().to_string(),
            None => {
                let mut place = self.options.get_host().to_string();
                place.push(':');
                place.push_str(&self.options.get_port().to_string());
                place
            }
        }
    }

    /// The server's or the system's own words, and what to do about them.
    fn explain(&self, err: sqlx::Error) -> Unreachable {
        match err {
            sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                Unreachable::Refused { place: self.place() }
            }
            sqlx::Error::Io(io) if is_unknown_host(&io) => {
                Unreachable::UnknownHost { host: self.options.get_host().to_string(), detail: io.to_string() }
            }
            sqlx::Error::Io(io) => Unreachable::Io { place: self.place(), detail: io.to_string() },
            sqlx::Error::Tls(tls) => Unreachable::Tls { detail: tls.to_string() },
            sqlx::Error::Database(db) => {
                let code = db.try_downcast_ref::<PgDatabaseError>().map(|pg| pg.code().to_string()).unwrap_or_default();
                let hint = match code.as_str() {
                    "28P01" => Hint::Password(self.options.get_username().to_string()),
                    "28000" => Hint::User(self.options.get_username().to_string()),
                    "3D000" => Hint::Database,
                    "53300" | "57P03" => Hint::Later,
                    _ => Hint::Log,
                };
                Unreachable::Server { message: db.message().to_string(), hint }
            }
            other => Unreachable::Other { place: self.place(), detail: other.to_string() },
        }
    }
}

/// Why the first connection failed, each with what to do.
#[derive(Debug, thiserror::Error)]
pub enum Unreachable {
    #[error(
        "connection refused at {place}: no PostgreSQL server listens there; check the host and port in the URL (or PGHOST and PGPORT) and that the server is running"
    )]
    Refused { place: String },
    #[error("no such host \"{host}\" ({detail}); check the host name in the URL (or PGHOST)")]
    UnknownHost { host: String, detail: String },
    #[error(
        "no answer from {place} within {seconds} s (connect_timeout); check the host and port, and that no firewall drops the connection"
    )]
    TimedOut { place: String, seconds: u64 },
    #[error("cannot reach {place}: {detail}")]
    Io { place: String, detail: String },
    #[error(
        "{detail}; this econtrack is built without TLS: connect with sslmode=disable or sslmode=prefer (the default), or through an SSH tunnel or a Unix socket"
    )]
    Tls { detail: String },
    #[error("the server refused the connection: {message}; {hint}")]
    Server { message: String, hint: Hint },
    #[error("cannot connect to {place}: {detail}")]
    Other { place: String, detail: String },
}

/// What to do about a connection the server refused, by its SQLSTATE.
#[derive(Debug, thiserror::Error)]
pub enum Hint {
    /// invalid_password (28P01)
    #[error(
        "check the password for \"{0}\": in the URL, PGPASSWORD, or a line of ~/.pgpass (or the file PGPASSFILE names) matching this host, port, database and user"
    )]
    Password(String),
    /// invalid_authorization_specification (28000): no such role, or pg_hba.conf refuses it
    #[error(
        "check the user name (\"{0}\": from the URL, else PGUSER, else your login name), and ask the server's administrator whether it may connect from here"
    )]
    User(String),
    /// invalid_catalog_name (3D000)
    #[error(
        "check the database name (from the URL, else PGDATABASE, else the user name), or create it (createdb NAME)"
    )]
    Database,
    /// too_many_connections (53300), cannot_connect_now (57P03)
    #[error("try again in a moment")]
    Later,
    #[error("check the URL and the server's log")]
    Log,
}

/// A name lookup that failed: the standard library reports it as an untyped error whose
/// text is the resolver's ("failed to lookup address information: Name or service not known").
fn is_unknown_host(io: &std::io::Error) -> bool {
    let text = io.to_string();
    text.contains("lookup address") || text.contains("Name or service not known") || text.contains("No such host")
}

/// The URL without its `connect_timeout` query parameter, and that timeout (the default when
/// absent; zero, or a negative number as libpq reads it, waits without limit).
fn take_connect_timeout(url: &str) -> Result<(String, Duration)> {
    let Some((head, query)) = url.split_once('?') else {
        return Ok((url.to_string(), DEFAULT_CONNECT_TIMEOUT));
    };
    let mut timeout = DEFAULT_CONNECT_TIMEOUT;
    let mut kept = Vec::new();
    for pair in query.split('&') {
        match pair.strip_prefix("connect_timeout=") {
            Some(seconds) => {
                let seconds: i64 = seconds.trim().parse().map_err(|_| {
                    StoreError::Invalid(
                        "connect_timeout in the URL is not a whole number of seconds (connect_timeout=5)",
                    )
                })?;
                // libpq waits at least 2 s when a timeout is set at all.
                timeout = if seconds <= 0 { Duration::ZERO } else { Duration::from_secs(seconds.max(2) as u64) };
            }
            None => kept.push(pair),
        }
    }
    let mut rest = head.to_string();
    if !kept.is_empty() {
        rest.push('?');
        rest.push_str(&kept.join("&"));
    }
    Ok((rest, timeout))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_is_never_shown() {
        assert_eq!(
            crate::store::location::shown("postgres://bob:s3cret@127.0.0.1:1/db"),
            "postgres://bob:***@127.0.0.1:1/db"
        );
        assert_eq!(
            crate::store::location::shown("postgresql://bob:p@ss@host/db?sslmode=disable"),
            "postgresql://bob:***@host/db?sslmode=disable"
        );
        assert_eq!(
            crate::store::location::shown("postgres://host/db?user=bob&password=s3cret"),
            "postgres://host/db?user=bob&password=***"
        );
        assert_eq!(crate::store::location::shown("postgres://bob:s3cret@host"), "postgres://bob:***@host");
    }

    #[test]
    fn what_holds_no_password_is_shown_as_it_is() {
        for location in ["postgres://bob@host/db", "postgres://host:5432/db", "/home/me/econtrack.db", "sqlite:x.db"] {
            assert_eq!(crate::store::location::shown(location), location);
        }
    }

    #[test]
    fn connect_timeout_is_taken_out_of_the_url() {
        let (rest, timeout) = take_connect_timeout("postgres://h/db?connect_timeout=3&sslmode=disable").unwrap();
        assert_eq!((rest.as_str(), timeout), ("postgres://h/db?sslmode=disable", Duration::from_secs(3)));
        let (rest, timeout) = take_connect_timeout("postgres://h/db?connect_timeout=1").unwrap();
        assert_eq!((rest.as_str(), timeout), ("postgres://h/db", Duration::from_secs(2)));
        assert_eq!(take_connect_timeout("postgres://h/db?connect_timeout=0").unwrap().1, Duration::ZERO);
        assert_eq!(take_connect_timeout("postgres://h/db").unwrap().1, DEFAULT_CONNECT_TIMEOUT);
        assert!(take_connect_timeout("postgres://h/db?connect_timeout=soon").is_err());
    }

    #[test]
    fn econtrack_sets_a_lock_timeout_unless_the_user_did() {
        let target = Target::parse("postgres://h/db").unwrap();
        assert!(target.options.get_options().unwrap().contains("lock_timeout=30s"));
        let target = Target::parse("postgres://h/db?options[lock_timeout]=2s").unwrap();
        assert!(!target.options.get_options().unwrap().contains("30s"));
    }
}
