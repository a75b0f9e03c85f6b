//! Black-box tests: the real service over real HTTP, on SQLite and on
//! PostgreSQL. Each scenario runs once per backend (`on_both_backends!`).

mod helpers;

mod aliases;
mod artifacts;
mod auth;
mod budget;
mod docs;
mod errors;
mod events;
mod faults;
mod follower;
mod foreign_keys;
mod fuzz;
mod hostile;
mod isolation;
mod metrics;
mod models;
mod nats;
mod newcomer;
mod observability;
mod openapi;
mod paging;
mod plans;
mod process;
mod races;
mod readme;
mod statuses;
mod versions;
mod webhooks;
