//! What the store remembers between requests, in a map of at most `MAX`
//! entries: past it the memory starts over, since the keys come from
//! callers. A poisoned lock only loses what was remembered.

use std::{collections::HashMap, hash::Hash, sync::Mutex};

pub(super) struct Remembered<K, V, const MAX: usize> {
    entries: Mutex<HashMap<K, V>>,
}

impl<K, V, const MAX: usize> Default for Remembered<K, V, MAX> {
    fn default() -> Self {
        Remembered {
            entries: Mutex::default(),
        }
    }
}

impl<K: Eq + Hash, V: Clone, const MAX: usize> Remembered<K, V, MAX> {
    pub fn get(&self, key: &K) -> Option<V> {
        self.entries.lock().ok()?.get(key).cloned()
    }

    pub fn put(&self, key: K, value: V) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= MAX && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(key, value);
    }
}
