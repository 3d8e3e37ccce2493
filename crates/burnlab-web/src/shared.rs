//! [`Shared`]: a value behind an `Rc` that compares by identity. An answer of the heavy core
//! (a run, the charts' points, a config's text) is never changed in place, so the same answer
//! is the same allocation; comparing by pointer lets state and props derive `PartialEq`
//! without comparing a whole run or a 1 MB text on every render.

use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

/// A shared value compared by identity: two `Shared`s are equal when they point at the same
/// allocation, whatever they hold.
pub struct Shared<T: ?Sized>(Rc<T>);

impl<T: ?Sized> Shared<T> {
    /// Shares what `rc` holds.
    pub fn from_rc(rc: Rc<T>) -> Self {
        Self(rc)
    }

    /// The `Rc` behind it.
    pub fn rc(&self) -> &Rc<T> {
        &self.0
    }
}

impl<T> Shared<T> {
    /// Shares a new value.
    pub fn new(value: T) -> Self {
        Self(Rc::new(value))
    }
}

impl<T: ?Sized> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Self(Rc::clone(&self.0))
    }
}

impl<T: ?Sized> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T: ?Sized> Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: ?Sized> From<Rc<T>> for Shared<T> {
    fn from(rc: Rc<T>) -> Self {
        Self(rc)
    }
}

impl From<&str> for Shared<str> {
    fn from(text: &str) -> Self {
        Self(Rc::from(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_in_two_allocations_differ_and_clones_are_equal() {
        let a = Shared::new(vec![1, 2, 3]);
        let b = Shared::new(vec![1, 2, 3]);
        assert!(a != b);
        assert!(a == a.clone());
        assert_eq!(*a, *b);
    }
}
