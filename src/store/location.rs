//! What may be shown of a database location: everything but its password. Every message,
//! success line and note that names a database, the store's own included, goes through
//! [`shown`].

/// What replaces a password.
const MASK: &str = "***";

/// `location` with any password masked: `postgres://bob:s3cret@host/db` is shown as
/// `postgres://bob:***@host/db`, and a `password=` query parameter as `password=***`.
/// A SQLite path is shown as it is.
pub fn shown(location: &str) -> String {
    let Some((scheme, rest)) = location.split_once("://") else {
        return location.to_string();
    };
    // The authority ends at the first `/`, `?` or `#`; its user part at its last `@`.
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let mut out = String::with_capacity(location.len());
    out.push_str(scheme);
    out.push_str("://");
    match authority.rsplit_once('@') {
        Some((user_info, host)) => {
            match user_info.split_once(':') {
                Some((user, _password)) => {
                    out.push_str(user);
                    out.push(':');
                    out.push_str(MASK);
                }
                None => out.push_str(user_info),
            }
            out.push('@');
            out.push_str(host);
        }
        None => out.push_str(authority),
    }
    out.push_str(&masked_query(tail));
    out
}

/// The path, query and fragment with the value of any `password` parameter masked (as
/// libpq and sqlx read it; `sslpassword` too).
fn masked_query(tail: &str) -> String {
    let Some((path, query)) = tail.split_once('?') else {
        return tail.to_string();
    };
    let (query, fragment) = match query.split_once('#') {
        Some((query, fragment)) => (query, Some(fragment)),
        None => (query, None),
    };
    let mut out = String::with_capacity(tail.len());
    out.push_str(path);
    out.push('?');
    for (i, pair) in query.split('&').enumerate() {
        if i > 0 {
            out.push('&');
        }
        match pair.split_once('=') {
            Some((key, _)) if is_secret_key(key) => {
                out.push_str(key);
                out.push('=');
                out.push_str(MASK);
            }
            _ => out.push_str(pair),
        }
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

fn is_secret_key(key: &str) -> bool {
    key.trim().to_ascii_lowercase().ends_with("password")
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn a_password_in_the_user_part_is_masked() {
        assert_eq!(shown("postgres://bob:s3cret@db.example:5432/econ"), "postgres://bob:***@db.example:5432/econ");
        assert_eq!(
            shown("postgresql://bob:p%40ss@host/db?sslmode=require"),
            "postgresql://bob:***@host/db?sslmode=require"
        );
        // An `@` in the password itself: the host is what follows the last one.
        assert_eq!(shown("postgres://bob:a@b@host/db"), "postgres://bob:***@host/db");
    }

    #[test]
    fn a_password_parameter_is_masked() {
        assert_eq!(
            shown("postgres://bob@host/db?sslmode=require&password=s3cret#x"),
            "postgres://bob@host/db?sslmode=require&password=***#x"
        );
        assert_eq!(shown("postgres://host/db?PASSWORD=s3cret"), "postgres://host/db?PASSWORD=***");
    }

    #[test]
    fn locations_without_a_password_are_shown_unchanged() {
        for location in
            ["postgres://bob@host/db", "postgres://host/db", "econtrack.db", "/tmp/a:b@c.db", "sqlite://x.db"]
        {
            assert_eq!(shown(location), location);
        }
    }
}
