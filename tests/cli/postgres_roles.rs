//! A team server's roles: a role granted only SELECT reads exactly what the owner reads,
//! and a write it may not make is one clear line, exit 3, nothing changed. Skipped, saying
//! so, without a server.

use crate::util::{PgDatabase, pg_admin, postgres_server};
use std::process::{Command, Output};

fn econtrack(url: &str, args: &[&str]) -> Output {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("econtrack"));
    cmd.env_remove("ECONTRACK_DB").env_remove("COLUMNS").arg("--db").arg(url).args(args);
    cmd.output().unwrap()
}

fn stdout_of(url: &str, args: &[&str]) -> String {
    let output = econtrack(url, args);
    assert!(output.status.success(), "econtrack {args:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// A login role on the test server, dropped (with its grants) when this goes out of scope.
struct Role {
    server: String,
    name: String,
}

impl Drop for Role {
    fn drop(&mut self) {
        pg_admin(&self.server, format!("DROP ROLE IF EXISTS {}", self.name));
    }
}

#[test]
fn a_read_only_role_reads_everything_and_is_refused_a_write_in_one_line() {
    let Some(server) = postgres_server("a_read_only_role_reads_everything_and_is_refused_a_write_in_one_line") else {
        return;
    };
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let role = Role { server: server.clone(), name: format!("econtrack_reader_{}_{nanos}", std::process::id()) };
    pg_admin(&server, format!("CREATE ROLE {} LOGIN", role.name));
    {
        let db = PgDatabase::create(&server);
        stdout_of(&db.url, &["init"]);
        pg_admin(&db.url, format!("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}", role.name));
        let owner = db.url.clone();
        let (scheme, rest) = owner.split_once("://").unwrap();
        let (_, host) = rest.split_once('@').unwrap();
        let reader = format!("{scheme}://{}@{host}", role.name);

        for args in [
            &["gaps", "--format", "csv"][..],
            &["score", "--format", "csv"],
            &["export", "values"],
            &["consensus", "--format", "json"],
            &["history", "--indicator", "gdp.real.growth", "--entity", "CN", "--period", "2024"],
        ] {
            assert_eq!(stdout_of(&reader, args), stdout_of(&owner, args), "{args:?}");
        }

        let before = stdout_of(&owner, &["export", "values"]);
        let refused = econtrack(
            &reader,
            &[
                "add",
                "forecast",
                "--indicator",
                "gdp.real.growth",
                "--entity",
                "CN",
                "--period",
                "2025",
                "--value",
                "4.5",
                "--source",
                "ubs",
                "--published",
                "2025-01-10",
            ],
        );
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(3), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("error: the database refused this role: permission denied for table"), "{stderr}");
        assert_eq!(stdout_of(&owner, &["export", "values"]), before);
    }
}
