//! `If-Match`, as the registry runs it.

use crate::domain::Error;

/// A caller's `If-Match`, as a test of the resource as it is now: a write
/// goes ahead only when it passes, checked under the lock the write holds.
pub struct Precondition<R>(Box<dyn Fn(&R) -> bool + Send + Sync>);

impl<R> Precondition<R> {
    pub fn new(passes: impl Fn(&R) -> bool + Send + Sync + 'static) -> Self {
        Precondition(Box::new(passes))
    }
}

/// `Ok` when there is no precondition or `current` passes it.
pub(super) fn check<R>(precondition: Option<&Precondition<R>>, current: &R) -> Result<(), Error> {
    match precondition {
        Some(Precondition(passes)) if !passes(current) => Err(Error::PreconditionFailed),
        _ => Ok(()),
    }
}
