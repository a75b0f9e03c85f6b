//! The names of CMP's regions as this process last read them, so that a
//! model's create need not read its region's name first. The create checks
//! the name it was given in its own statement (`insert_model.sql`), and a
//! name changed since is read again: a remembered name is never answered
//! stale.

use std::{collections::HashMap, sync::Mutex};

use uuid::Uuid;

/// At most this many regions are remembered; past it the memory starts
/// over (region ids come from callers).
const MAX_REGIONS: usize = 1024;

#[derive(Default)]
pub(super) struct RegionNames {
    names: Mutex<HashMap<Uuid, String>>,
}

impl RegionNames {
    pub fn get(&self, region_id: Uuid) -> Option<String> {
        // A poisoned lock only loses the names.
        self.names.lock().ok()?.get(&region_id).cloned()
    }

    pub fn put(&self, region_id: Uuid, name: &str) {
        let Ok(mut names) = self.names.lock() else {
            return;
        };
        if names.len() >= MAX_REGIONS && !names.contains_key(&region_id) {
            names.clear();
        }
        names.insert(region_id, name.to_owned());
    }
}
