//! End-to-end tests: the real `econtrack` binary against temporary databases.

mod util;

mod bad_input;
mod browser;
mod concurrency;
mod copy;
mod corrections;
mod crash;
mod destinations;
mod endless;
mod exit_codes;
mod extract;
mod formats;
mod gaps;
mod help;
mod hostile;
mod import_export;
mod input_checks;
mod listings;
mod listings_untargeted;
mod maintenance;
mod messages;
mod nul;
mod overwrite;
mod pipes;
mod postgres_crash;
mod postgres_roles;
mod postgres_schema;
mod quoted;
mod report;
mod scale;
mod score;
mod secrets;
mod storage;
mod tables;
mod verify;
