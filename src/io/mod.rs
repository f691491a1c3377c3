//! The edge: files in and out. Nothing here decides anything.

pub mod aliases;
pub mod atomic;
pub mod csv_table;
pub mod instance_reader;
pub mod instance_writer;
pub mod instance_xlsx;
pub mod locks;
pub mod plan_files;
pub mod summary;
pub mod text;
pub mod xlsx_export;
pub mod xlsx_import;
pub mod xlsx_sheet;

pub use instance_reader::read_instance;
