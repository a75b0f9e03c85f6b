//! Where the pages of a list ended last time, so that the next request for
//! the same page sorts only the matches up to there.
//!
//! A page of the project's versions needs the newest (say) 21 of all its
//! matches, and `total` needs them all counted. On PostgreSQL both come from
//! one pass over the matches (`version_page`), whose cost beyond the count
//! is sorting what it gathers. Given the place where the same page of the
//! same list ended before, the pass gathers only the matches at or before
//! that place: a prefix of the list, a few rows wide, which is then sorted.
//! The answer checks itself: the prefix is the page's answer when it holds
//! every row the page needs, or the whole list; otherwise (rows deleted or
//! moved since) the store asks again without the hint. A hint can make a
//! page slower, never wrong.

use super::remembered::Remembered;
use crate::domain::{Cursor, ListScope};

/// At most this many pages are remembered; past it the memory starts over
/// (a caller who varies filters to fill it only costs its own pages a
/// sort).
const MAX_HINTS: usize = 4096;

/// The place of the last row read for each remembered page, keyed by the
/// list and how many of its rows the page reads (offset + limit + 1).
#[derive(Default)]
pub(super) struct PageHints {
    ends: Remembered<(ListScope, u64), Cursor, MAX_HINTS>,
}

impl PageHints {
    pub fn get(&self, list: &ListScope, reach: u64) -> Option<Cursor> {
        self.ends.get(&(list.clone(), reach))
    }

    pub fn put(&self, list: &ListScope, reach: u64, end: Cursor) {
        self.ends.put((list.clone(), reach), end);
    }
}
