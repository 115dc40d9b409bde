//! What errors quote back to the terminal: control and bidirectional characters escaped, a
//! cause printed once (never `X: X`), and a failed import saying nothing was imported.

use crate::util::Env;

#[test]
fn a_cell_quoted_in_an_error_cannot_drive_the_terminal() {
    let env = Env::seeded();
    let file = env.write(
        "values.csv",
        "kind,indicator,entity,period,value,source,published\n\
         forecast,gdp\u{1b}]0;PWNED\u{7}\u{202E}x\u{7f},CN,2031,4.5,ubs,2030-01-01\n",
    );
    let stderr = env.fails(&["import", file.to_str().unwrap()]);
    for raw in ['\u{1b}', '\u{7}', '\u{202E}', '\u{7f}'] {
        assert!(!stderr.contains(raw), "{raw:?} printed raw: {stderr:?}");
    }
    assert!(stderr.contains(r#""gdp\x1b]0;PWNED\x07\u{202e}x\x7f""#), "{stderr}");
}

#[test]
fn a_cause_that_repeats_its_wrapper_is_printed_once() {
    let output = assert_cmd::Command::cargo_bin("econtrack")
        .unwrap()
        .env_remove("ECONTRACK_DB")
        .args(["--db", "postgres://bob@127.0.0.1:99999/econ", "gaps"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "error: cannot open database postgres://bob@127.0.0.1:99999/econ: bad database URL: error with configuration: invalid port number\n"
    );
}

#[test]
fn an_import_that_cannot_read_its_file_says_nothing_was_imported() {
    let env = Env::seeded();
    let before = env.snapshot();
    // Reading a process's own memory from offset 0 fails with EIO: a read error mid-import.
    let output = env.cmd().args(["import", "/proc/self/mem"]).output().unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: the import stopped and nothing was imported: reading /proc/self/mem: "),
        "{stderr}"
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_server_error_is_in_the_servers_words_without_its_source_line() {
    let Some(server) =
        crate::util::postgres_server("quoted::a_server_error_is_in_the_servers_words_without_its_source_line")
    else {
        return;
    };
    let url = crate::util::database_url(&server, "no_such_database");
    let output = assert_cmd::Command::cargo_bin("econtrack")
        .unwrap()
        .env_remove("ECONTRACK_DB")
        .args(["--db", &url, "gaps"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains(": database \"no_such_database\" does not exist; "), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!stderr.contains(" at line "), "{stderr}");
    assert!(!stderr.contains("error returned from database"), "{stderr}");
}

#[test]
fn a_quote_never_closed_is_named_where_it_opens_not_read_as_one_long_cell() {
    let env = Env::seeded();
    let before = env.snapshot();
    // The quote on line 3 swallows line 4 into the note: the row has all its fields, so only
    // the quote can tell.
    let file = env.write(
        "values.csv",
        "kind,indicator,entity,period,value,source,published,note\n\
         forecast,gdp.real.growth,CN,2031,4.5,ubs,2030-01-01,\"a \"\"quoted\"\" note\"\n\
         forecast,gdp.real.growth,CN,2032,4.5,ubs,2030-01-01,\"never closed\n\
         forecast,gdp.real.growth,CN,2033,4.5,ubs,2030-01-01,lost\n",
    );
    let stderr = env.fails(&["import", file.to_str().unwrap()]);
    assert_eq!(
        stderr,
        format!(
            "error: {}:3: a quote opened on line 3 is never closed: the rest of the file would be one cell\n\
             error: import rejected: 1 bad row(s); nothing was imported\n",
            file.display()
        )
    );
    assert_eq!(env.snapshot(), before);
    // A quote inside an unquoted cell is text, and `""` inside a quoted one is a quote.
    let fine = env.write(
        "fine.csv",
        "kind,indicator,entity,period,value,source,published,note\n\
         forecast,gdp.real.growth,CN,2031,4.5,ubs,2030-01-01,12\" vinyl\n\
         forecast,gdp.real.growth,CN,2032,4.5,ubs,2030-01-01,\"a \"\"b\"\"\"\n",
    );
    env.ok(&["import", fine.to_str().unwrap()]);
}
