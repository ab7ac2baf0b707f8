//! Undo and redo: session state of the editor (never saved in a design), kept here so it
//! is tested natively. One entry per user action; a whole drag is one action.

/// How many actions can be undone. Versions of a design share the elements an edit left
/// alone, but each still has its own layout and links (hundreds of kilobytes at hundreds of
/// spokes), so a long session keeps the latest ones rather than every one.
pub const UNDO_STEPS: usize = 200;

/// The states before (past) and after (future) the current one.
#[derive(Clone, Debug)]
pub struct History<T> {
    past: Vec<T>,
    future: Vec<T>,
}

impl<T> Default for History<T> {
    fn default() -> Self {
        History { past: Vec::new(), future: Vec::new() }
    }
}

impl<T> History<T> {
    /// Records the state before an action; what was undone can no longer be redone.
    pub fn record(&mut self, before: T) {
        self.past.push(before);
        if self.past.len() > UNDO_STEPS {
            self.past.remove(0);
        }
        self.future.clear();
    }

    /// Steps back: returns the previous state and keeps `current` for redo.
    pub fn undo(&mut self, current: T) -> Result<T, T> {
        match self.past.pop() {
            Some(previous) => {
                self.future.push(current);
                Ok(previous)
            }
            None => Err(current),
        }
    }

    /// Steps forward again after an undo.
    pub fn redo(&mut self, current: T) -> Result<T, T> {
        match self.future.pop() {
            Some(next) => {
                self.past.push(current);
                Ok(next)
            }
            None => Err(current),
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.past.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.future.is_empty()
    }

    pub fn clear(&mut self) {
        self.past.clear();
        self.future.clear();
    }
}
