// Migrations and the built-in data are embedded at compile time (sqlx::migrate! and
// include_str!). Without these lines a new migration or data edit could silently ship a
// binary that lacks it, because cargo would not know to rebuild.
fn main() {
    // One folder per backend's migrations (`sqlx::migrate!("migrations/sqlite")`,
    // `sqlx::migrate!("migrations/postgres")`).
    println!("cargo:rerun-if-changed=migrations/sqlite");
    println!("cargo:rerun-if-changed=migrations/postgres");
    println!("cargo:rerun-if-changed=data");
}
