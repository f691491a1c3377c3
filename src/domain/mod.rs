//! The domain layer: what a county is and what its policy says, independent of any solver.

pub mod geography;
pub mod grouping;
pub mod instance;
pub mod policy;
pub mod stage;

pub use instance::{Degree, Demand, Instance, School, Sex, Teacher, Title, Township};
pub use policy::{PairingLevel, Policy, TrackMode, TrackPolicy};
pub use stage::{SlotStage, Stage};
