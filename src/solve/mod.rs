//! One module per optimisation problem, each building its model from the domain and
//! returning a plan, plus the shared HiGHS layer.

pub mod groups;
pub mod lp;
pub mod mip;
pub mod moves;
pub mod pairing;
