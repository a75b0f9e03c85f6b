//! `If-Match`, as the registry runs it.

use crate::domain::Error;

/// A caller's `If-Match`, as a test of the resource as it is now: a write
/// goes ahead only when it passes, checked under the lock the write holds.
pub type Precondition<'a, R> = Option<&'a (dyn Fn(&R) -> bool + Send + Sync)>;

/// `Ok` when there is no precondition or `current` passes it.
pub(super) fn check<R>(precondition: Precondition<'_, R>, current: &R) -> Result<(), Error> {
    match precondition {
        Some(passes) if !passes(current) => Err(Error::PreconditionFailed),
        _ => Ok(()),
    }
}
