//! End-to-end tests: the real `econtrack` binary against temporary databases.

mod util;

mod bad_input;
mod browser;
mod concurrency;
mod crash;
mod gaps;
mod hostile;
mod import_export;
mod listings;
mod maintenance;
mod report;
mod scale;
mod score;
mod storage;
mod verify;
