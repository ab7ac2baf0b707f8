//! Sorting through one compiled copy of the standard library's sort.
//!
//! `slice::sort_by` is generic over the item and the comparator, so every call site compiles a
//! sort of its own (about 3 KB of WebAssembly each, twenty-odd of them in the browser's
//! download). These sort the positions `0..len` with one comparator type instead, then move
//! the items into that order: the same stable order as `slice::sort_by`, with one sort in the
//! binary and only the small permutation compiled per item type.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `items` stably by `compare`, as `slice::sort_by` does.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let order = sorted_positions(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    permute(items, order);
}

/// Sorts `items` stably by the key `key` gives each, as `slice::sort_by_key` does.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their order, as `slice::sort` does (and `slice::sort_unstable`, for items
/// that are equal only when they are the same).
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The distinct `items` in order, as a `BTreeSet` of them would iterate them (the first of
/// equal items kept): a vector, for the sets that are only counted, searched or walked, so
/// each item type does not compile a B-tree of its own.
pub fn distinct<T: Ord>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut items: Vec<T> = items.into_iter().collect();
    sort(&mut items);
    items.dedup();
    items
}

/// A set of `items`, as `collect::<BTreeSet<_>>()` makes (which sorts them first).
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

/// A map of `entries`, as `collect::<BTreeMap<_, _>>()` makes: a repeated key keeps its last value.
pub fn map_of<K: Ord, V>(entries: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(entries);
    map
}

/// The positions `0..len` in the order `compare` gives them, equals in their first order.
fn sorted_positions(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..len).collect();
    positions.sort_by(|&a, &b| compare(a, b));
    positions
}

/// Moves the item at `order[i]` to position `i`, following each cycle of the permutation.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        while order[at] != start {
            let from = order[at];
            items.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn sorts_as_the_standard_library_does(items in prop::collection::vec((0u8..4, any::<u16>()), 0..60)) {
            let mut ours = items.clone();
            let mut theirs = items.clone();
            sort_by_key(&mut ours, |(key, _)| *key);
            theirs.sort_by_key(|(key, _)| *key);
            prop_assert_eq!(&ours, &theirs);
            let (mut ours, mut theirs) = (items.clone(), items.clone());
            sort(&mut ours);
            theirs.sort();
            prop_assert_eq!(&ours, &theirs);
            let (mut ours, mut theirs) = (items.clone(), items.clone());
            sort_by(&mut ours, |a, b| b.1.cmp(&a.1));
            theirs.sort_by_key(|item| std::cmp::Reverse(item.1));
            prop_assert_eq!(ours, theirs);
            prop_assert_eq!(set_of(items.iter().copied()), items.iter().copied().collect::<BTreeSet<_>>());
            prop_assert_eq!(
                distinct(items.iter().map(|(key, _)| *key)),
                items.iter().map(|(key, _)| *key).collect::<BTreeSet<_>>().into_iter().collect::<Vec<_>>()
            );
            prop_assert_eq!(map_of(items.iter().copied()), items.iter().copied().collect::<BTreeMap<_, _>>());
        }
    }
}
