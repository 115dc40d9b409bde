//! Reaching a PostgreSQL server as a user meets it: a refused connection, an unknown host or
//! a silent one fails within seconds, in the system's or the server's words and with what to
//! do, never showing the URL's password; a read blocked by another session's lock gives up
//! after the lock timeout and names who holds it; the libpq environment variables stand in
//! for parts of the URL. The first three need no server; the others skip, saying so, without one.

use crate::util::{PgDatabase, postgres_server};
use sqlx::Connection;
use std::net::TcpListener;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// econtrack with `args`, no PG* variable of the caller's leaking in, timed.
fn econtrack(db: &str, args: &[&str], env: &[(&str, &str)]) -> (Output, Duration) {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("econtrack"));
    cmd.env_remove("ECONTRACK_DB").env_remove("COLUMNS");
    for var in ["PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD", "PGOPTIONS", "PGSSLMODE"] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied()).arg("--db").arg(db).args(args);
    let started = Instant::now();
    let output = cmd.output().unwrap();
    (output, started.elapsed())
}

/// The one error line of a failed run (exit 3, nothing on standard output), checked to hold
/// no password.
fn refusal(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(output.stdout.is_empty(), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("s3cret"), "the password was shown: {stderr}");
    stderr
}

/// A port on 127.0.0.1 that nothing listens on (bound, then let go).
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn a_refused_connection_fails_at_once_saying_so() {
    let url = format!("postgres://bob:s3cret@127.0.0.1:{}/db", closed_port());
    let (output, took) = econtrack(&url, &["gaps"], &[]);
    let stderr = refusal(&output);
    assert!(took < Duration::from_secs(3), "took {took:?}: {stderr}");
    assert!(stderr.contains("connection refused at 127.0.0.1:"), "{stderr}");
    assert!(stderr.contains("postgres://bob:***@127.0.0.1:"), "{stderr}");
    assert!(stderr.contains("check the host and port"), "{stderr}");
}

#[test]
fn an_unknown_host_fails_at_once_saying_so() {
    let (output, took) = econtrack("postgres://bob:s3cret@no-such-host.invalid/db", &["gaps"], &[]);
    let stderr = refusal(&output);
    assert!(took < Duration::from_secs(3), "took {took:?}: {stderr}");
    assert!(stderr.contains("no such host \"no-such-host.invalid\""), "{stderr}");
}

#[test]
fn a_silent_server_is_given_up_on_after_connect_timeout() {
    // Accepts connections (the kernel completes them) but never answers.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let url = format!("postgres://bob:s3cret@127.0.0.1:{port}/db?connect_timeout=2");
    let (output, took) = econtrack(&url, &["gaps"], &[]);
    let stderr = refusal(&output);
    assert!(took >= Duration::from_secs(2) && took < Duration::from_secs(6), "took {took:?}: {stderr}");
    assert!(
        stderr.contains("no answer from 127.0.0.1:") && stderr.contains("within 2 s (connect_timeout)"),
        "{stderr}"
    );
    drop(silent);
}

#[test]
fn an_unknown_database_or_role_is_named_with_what_to_do() {
    let Some(server) = postgres_server("an_unknown_database_or_role_is_named_with_what_to_do") else { return };
    let missing = crate::util::database_url(&server, "no_such_database_here");
    let (output, _) = econtrack(&missing, &["gaps"], &[]);
    let stderr = refusal(&output);
    assert!(stderr.contains("database \"no_such_database_here\" does not exist"), "{stderr}");
    assert!(stderr.contains("createdb"), "{stderr}");

    let (scheme, rest) = server.split_once("://").unwrap();
    let (_, host) = rest.split_once('@').unwrap_or(("", rest));
    let stranger = format!("{scheme}://nobody_here:s3cret@{host}");
    let (output, _) = econtrack(&stranger, &["gaps"], &[]);
    let stderr = refusal(&output);
    assert!(stderr.contains("role \"nobody_here\" does not exist"), "{stderr}");
    assert!(stderr.contains("check the user name"), "{stderr}");
}

#[test]
fn a_read_blocked_by_another_sessions_lock_gives_up_and_names_it() {
    let Some(server) = postgres_server("a_read_blocked_by_another_sessions_lock_gives_up_and_names_it") else { return };
    let db = PgDatabase::create(&server);
    let (init, _) = econtrack(&db.url, &["init"], &[]);
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut holder = runtime.block_on(async {
        let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
        sqlx::raw_sql("SET application_name = 'the_lock_holder'; BEGIN; LOCK TABLE figures IN ACCESS EXCLUSIVE MODE")
            .execute(&mut conn)
            .await
            .unwrap();
        conn
    });
    // The server's default wait (30 s) shortened through PGOPTIONS, as a user may.
    let (output, took) = econtrack(&db.url, &["gaps"], &[("PGOPTIONS", "-c lock_timeout=1s")]);
    let stderr = refusal(&output);
    assert!(took < Duration::from_secs(10), "took {took:?}: {stderr}");
    assert!(stderr.contains("canceling statement due to lock timeout"), "{stderr}");
    assert!(stderr.contains("the_lock_holder") && stderr.contains("AccessExclusiveLock on figures"), "{stderr}");
    runtime.block_on(async {
        sqlx::raw_sql("ROLLBACK").execute(&mut holder).await.unwrap();
        holder.close().await.unwrap();
    });
    // Once the lock is gone the same read goes through.
    let (output, _) = econtrack(&db.url, &["gaps"], &[("PGOPTIONS", "-c lock_timeout=1s")]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn the_libpq_variables_fill_in_what_the_url_leaves_out() {
    let Some(server) = postgres_server("the_libpq_variables_fill_in_what_the_url_leaves_out") else { return };
    let db = PgDatabase::create(&server);
    // postgres://user@127.0.0.1:port/name, taken apart into the variables.
    let (_, rest) = db.url.split_once("://").unwrap();
    let (user, rest) = rest.split_once('@').unwrap();
    let (host_port, name) = rest.split_once('/').unwrap();
    let (host, port) = host_port.rsplit_once(':').unwrap();
    let env = [("PGHOST", host), ("PGPORT", port), ("PGUSER", user), ("PGDATABASE", name), ("PGPASSWORD", "s3cret")];
    let (output, _) = econtrack("postgres://", &["init"], &env);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let (direct, _) = econtrack(&db.url, &["export", "values"], &[]);
    let (by_variables, _) = econtrack("postgres://", &["export", "values"], &env);
    assert!(direct.status.success() && !direct.stdout.is_empty());
    assert_eq!(by_variables.stdout, direct.stdout);
    // A wrong database named by a variable is said as the server says it, password unshown.
    let env =
        [("PGHOST", host), ("PGPORT", port), ("PGUSER", user), ("PGDATABASE", "no_such_db"), ("PGPASSWORD", "s3cret")];
    let (output, _) = econtrack("postgres://", &["gaps"], &env);
    assert!(refusal(&output).contains("database \"no_such_db\" does not exist"));
}
