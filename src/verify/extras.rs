//! Policy keys the audit reads from the policy file's own TOML: `[rotation] transfer_scope`
//! (T1), `[indicators] minimise_cv_excess` and each track's `core_stages` (G3). Reading them
//! here keeps the audit's reading of SPEC independent of the policy parser, and works whether
//! or not the parser knows them yet.

use std::collections::BTreeMap;

use crate::domain::policy::Policy;
use crate::domain::stage::Stage;

/// T1's scope of a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TransferScope {
    /// Inside the teacher's group (the default).
    #[default]
    Group,
    /// 县管校聘: any school in a group of any track.
    County,
}

/// The policy keys beyond [`Policy`]'s fields that the audit needs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicyExtras {
    pub transfer_scope: TransferScope,
    pub minimise_cv_excess: bool,
    /// Per track name, the stages that may lead a group; a track absent here takes all of its
    /// stages (SPEC's default).
    pub core_stages: BTreeMap<String, Vec<Stage>>,
}

impl PolicyExtras {
    /// Reads the keys from the policy's TOML text; a key that is absent or malformed keeps its
    /// default (the policy parser reports malformed keys).
    pub fn from_toml(text: &str) -> PolicyExtras {
        // The same keys as in the summary's `policy` object: read the TOML through that path.
        text.parse::<toml::Table>()
            .ok()
            .and_then(|root| serde_json::to_value(root).ok())
            .map(|root| PolicyExtras::from_summary_policy(&root))
            .unwrap_or_default()
    }

    /// Reads the keys from `summary.json`'s effective `policy` object (TOML's key names; the
    /// tracks under `track` or `tracks`). Used only when the audit is not given the policy
    /// file, e.g. by `simulate`, whose policy lives in memory.
    pub fn from_summary_policy(policy: &serde_json::Value) -> PolicyExtras {
        let mut out = PolicyExtras::default();
        let at = |a: &str, b: &str| policy.get(a).and_then(|t| t.get(b));
        if at("rotation", "transfer_scope").and_then(|v| v.as_str()) == Some("county") {
            out.transfer_scope = TransferScope::County;
        }
        out.minimise_cv_excess = at("indicators", "minimise_cv_excess")
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        let tracks = policy
            .get("track")
            .or_else(|| policy.get("tracks"))
            .and_then(|v| v.as_array());
        for t in tracks.into_iter().flatten() {
            let (Some(name), Some(stages)) = (
                t.get("name").and_then(|v| v.as_str()),
                t.get("core_stages").and_then(|v| v.as_array()),
            ) else {
                continue;
            };
            let stages = stages
                .iter()
                .filter_map(|v| v.as_str().and_then(Stage::parse))
                .collect();
            out.core_stages.insert(name.to_string(), stages);
        }
        out
    }

    /// G3: whether a school of `stage` may lead a group of `track`.
    pub fn may_lead(&self, policy: &Policy, track: &str, stage: Stage) -> bool {
        match self.core_stages.get(track) {
            Some(stages) => stages.contains(&stage),
            None => policy
                .tracks
                .iter()
                .find(|t| t.name == track)
                .is_none_or(|t| t.stages.contains(&stage)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_three_keys_and_defaults() {
        let x = PolicyExtras::from_toml(
            "plan_year = 2026\n[[track]]\nname = \"c\"\ncore_stages = [\"primary\", \"nine_year\"]\n\
             [rotation]\ntransfer_scope = \"county\"\n[indicators]\nminimise_cv_excess = true\n",
        );
        assert_eq!(x.transfer_scope, TransferScope::County);
        assert!(x.minimise_cv_excess);
        assert_eq!(x.core_stages["c"], vec![Stage::Primary, Stage::NineYear]);
        assert_eq!(
            PolicyExtras::from_toml("plan_year = 2026"),
            PolicyExtras::default()
        );
    }
}
