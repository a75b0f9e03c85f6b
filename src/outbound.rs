//! Requests the service makes to addresses its callers name (webhook
//! receivers): which addresses they may reach, how a delivery is signed,
//! and how one attempt is sent.

mod address;
mod attempt;
mod signature;

pub use address::{AddressPolicy, Unreachable};
pub use attempt::{Attempt, Outcome, Sender};
pub use signature::{new_secret, sign};
