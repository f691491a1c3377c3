//! `rotaplan generate`: deterministic synthetic instances in the SPEC.md instance format.
//!
//! The same profile and seed always give byte-identical files: every random draw comes from a
//! seeded ChaCha8 stream, nothing is iterated out of a hash map, and floats are written with a
//! fixed number of decimals.

mod demand;
mod geo;
mod hezhang;
mod model;
mod people;
mod readme;
mod rng;
mod scale;
mod schools;
#[cfg(test)]
mod tests;
mod write;

use std::fmt;
use std::path::{Path, PathBuf};

/// Profiles `rotaplan generate --profile` knows.
pub const PROFILES: [&str; 2] = ["hezhang", "scale"];
/// Below this a `scale` county cannot give every township every compulsory stage plus helpers.
pub const MIN_SCALE_SCHOOLS: usize = 20;
/// Guards memory: ~25 teachers per school, and a county of more than this is not a county.
pub const MAX_SCALE_SCHOOLS: usize = 50_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Profile {
    /// 赫章县 as set up by 赫府办发〔2021〕60号 附件2.
    Hezhang,
    /// A generic county of `schools` schools, for benchmarks.
    Scale { schools: usize },
}

impl Profile {
    /// Resolves `--profile NAME` and `--schools N`. Names are case-insensitive.
    pub fn parse(name: &str, schools: Option<usize>) -> Result<Profile, GenerateError> {
        let key = name.trim().to_ascii_lowercase();
        match key.as_str() {
            "hezhang" => match schools {
                None => Ok(Profile::Hezhang),
                Some(_) => Err(GenerateError::SchoolsNotApplicable(key)),
            },
            "scale" => {
                let n = schools.ok_or(GenerateError::MissingSchools)?;
                let p = Profile::Scale { schools: n };
                p.check()?;
                Ok(p)
            }
            _ => Err(GenerateError::UnknownProfile(name.to_string())),
        }
    }

    fn check(&self) -> Result<(), GenerateError> {
        match *self {
            Profile::Scale { schools } if schools < MIN_SCALE_SCHOOLS => {
                Err(GenerateError::TooFewSchools(schools))
            }
            Profile::Scale { schools } if schools > MAX_SCALE_SCHOOLS => {
                Err(GenerateError::TooManySchools(schools))
            }
            _ => Ok(()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenerateReport {
    pub townships: usize,
    pub schools: usize,
    pub teachers: usize,
    pub helpers: usize,
}

#[derive(Debug)]
pub enum GenerateError {
    UnknownProfile(String),
    MissingSchools,
    SchoolsNotApplicable(String),
    TooFewSchools(usize),
    TooManySchools(usize),
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    Csv {
        file: String,
        message: String,
    },
    /// A generator invariant failed; a bug, reported rather than panicking.
    Internal(String),
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenerateError::UnknownProfile(name) => write!(
                f,
                "unknown profile `{name}`; known profiles: {}",
                PROFILES.join(", ")
            ),
            GenerateError::MissingSchools => write!(
                f,
                "profile `scale` needs --schools N (N from {MIN_SCALE_SCHOOLS} to {MAX_SCALE_SCHOOLS})"
            ),
            GenerateError::SchoolsNotApplicable(name) => {
                write!(f, "--schools applies only to profile `scale`, not `{name}`")
            }
            GenerateError::TooFewSchools(n) => write!(
                f,
                "profile `scale` needs at least {MIN_SCALE_SCHOOLS} schools (got {n})"
            ),
            GenerateError::TooManySchools(n) => write!(
                f,
                "profile `scale` allows at most {MAX_SCALE_SCHOOLS} schools (got {n})"
            ),
            GenerateError::Io { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
            GenerateError::Csv { file, message } => {
                write!(f, "cannot build {file}: {message}")
            }
            GenerateError::Internal(msg) => write!(f, "generator bug: {msg}"),
        }
    }
}

impl std::error::Error for GenerateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            GenerateError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Builds the instance of `profile` for `seed` and writes it into `out` (created if missing):
/// townships.csv, adjacency.csv, schools.csv, teachers.csv, demand.csv and policy.toml; for
/// `hezhang` also README.md, groups_seed.csv and baseline_pairings.csv.
pub fn generate(profile: &Profile, seed: u64, out: &Path) -> Result<GenerateReport, GenerateError> {
    profile.check()?;
    let files = render(profile, seed)?;
    std::fs::create_dir_all(out).map_err(|source| GenerateError::Io {
        path: out.to_path_buf(),
        source,
    })?;
    for (name, bytes) in &files.files {
        let path = out.join(name);
        crate::io::atomic::write_bytes_atomic(&path, bytes)
            .map_err(|source| GenerateError::Io { path, source })?;
    }
    Ok(files.report)
}

pub(crate) struct Rendered {
    pub report: GenerateReport,
    /// (file name, contents) in writing order.
    pub files: Vec<(&'static str, Vec<u8>)>,
}

/// Everything `generate` writes, in memory, so tests can compare bytes without touching disk.
pub(crate) fn render(profile: &Profile, seed: u64) -> Result<Rendered, GenerateError> {
    profile.check()?;
    let inst = match profile {
        Profile::Hezhang => hezhang::build(seed)?,
        Profile::Scale { schools } => scale::build(seed, *schools)?,
    };
    let mut files = write::instance_files(&inst)?;
    match profile {
        Profile::Hezhang => {
            files.push(("policy.toml", hezhang::POLICY_TOML.as_bytes().to_vec()));
            let groups = hezhang::seed_groups(&inst.schools)?;
            files.push(("groups_seed.csv", write::groups_csv(&inst, &groups)?));
            let pairings = hezhang::seed_pairings(&inst.schools)?;
            files.push((
                "baseline_pairings.csv",
                write::pairings_csv(&inst, &pairings)?,
            ));
            files.push((
                "README.md",
                readme::hezhang(&inst, seed, &groups).into_bytes(),
            ));
        }
        Profile::Scale { .. } => {
            files.push(("policy.toml", scale::policy_toml(&inst).into_bytes()));
        }
    }
    let report = GenerateReport {
        townships: inst.townships.len(),
        schools: inst.schools.len(),
        teachers: inst.teachers.len(),
        helpers: inst.schools.iter().filter(|s| s.helper).count(),
    };
    Ok(Rendered { report, files })
}
