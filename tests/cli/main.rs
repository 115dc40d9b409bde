//! End-to-end tests: the real `econtrack` binary against temporary databases.

mod util;

mod agency_files;
mod bad_input;
mod browser;
mod calendar;
mod concurrency;
mod copy;
mod corpus;
mod corrections;
mod crash;
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
mod overwrite;
mod pipes;
mod postgres_crash;
mod postgres_roles;
mod postgres_schema;
mod report;
mod scale;
mod score;
mod storage;
mod tables;
mod units;
mod verify;
