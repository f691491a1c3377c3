//! The integration tests, linked into one binary: each module drives the `rotaplan` binary or
//! the library on small instances. One binary links HiGHS once instead of once per file.

mod chinese_degrees;
mod cli;
mod common;
mod excel;
mod export_plan_only;
mod groups;
mod groups_previous;
mod indicators;
mod lang_zh;
mod locks;
mod moves_oracle;
mod overview_png;
mod pairing;
mod pairing_examples;
mod plan_examples;
mod report;
mod rotate_examples;
mod rotate_speed;
mod short_limits;
mod validate;
mod verify;
mod workflows;
