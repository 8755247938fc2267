//! The connections of a context: a slab of slots whose ids carry a
//! generation, so an id kept after its connection went (a `struct lws *`
//! the application still holds) finds nothing rather than a newcomer.
#![forbid(unsafe_code)]

use super::conn::{Conn, ConnId};

pub struct ConnTable {
    slots: Vec<Option<Conn>>,
    free: Vec<usize>,
    next_gen: u64,
    /// Live connections with a parent (`parent_wsi`): while there are none,
    /// closing a connection does not look for its children.
    with_parent: usize,
}

impl Default for ConnTable {
    fn default() -> ConnTable {
        ConnTable {
            slots: Vec::new(),
            free: Vec::new(),
            next_gen: 1,
            with_parent: 0,
        }
    }
}

impl ConnTable {
    pub fn get(&self, id: ConnId) -> Option<&Conn> {
        self.slots.get(id.index)?.as_ref().filter(|c| c.id == id)
    }

    pub fn get_mut(&mut self, id: ConnId) -> Option<&mut Conn> {
        self.slots
            .get_mut(id.index)?
            .as_mut()
            .filter(|c| c.id == id)
    }

    /// The connection in slot `index` (a poller token), whatever its
    /// generation.
    pub fn at(&self, index: usize) -> Option<&Conn> {
        self.slots.get(index)?.as_ref()
    }

    pub fn at_mut(&mut self, index: usize) -> Option<&mut Conn> {
        self.slots.get_mut(index)?.as_mut()
    }

    /// A free slot and the id a connection made in it gets; the slot stays
    /// free until [`ConnTable::fill`] (or goes back with
    /// [`ConnTable::unreserve`]).
    pub fn reserve(&mut self) -> ConnId {
        let index = self.free.pop().unwrap_or_else(|| {
            self.slots.push(None);
            self.slots.len() - 1
        });
        let id = ConnId {
            index,
            gen: self.next_gen,
        };
        self.next_gen += 1;
        id
    }

    /// A reserved slot that was not filled after all.
    pub fn unreserve(&mut self, id: ConnId) {
        if self.slots.get(id.index).is_some_and(Option::is_none) {
            self.free.push(id.index);
        }
    }

    /// Puts a connection made with a reserved id in its slot.
    pub fn fill(&mut self, conn: Conn) {
        let index = conn.id.index;
        if conn.parent.is_some() {
            self.with_parent += 1;
        }
        if let Some(slot) = self.slots.get_mut(index) {
            *slot = Some(conn);
        }
    }

    /// Takes a connection out; its slot is free again.
    pub fn remove(&mut self, id: ConnId) -> Option<Conn> {
        let slot = self.slots.get_mut(id.index)?;
        if slot.as_ref().is_none_or(|c| c.id != id) {
            return None;
        }
        let c = slot.take()?;
        if c.parent.is_some() {
            self.with_parent -= 1;
        }
        self.free.push(id.index);
        Some(c)
    }

    /// Makes `parent` the parent of a connection already in the table (the
    /// only way a parent is set after [`ConnTable::fill`]).
    pub fn set_parent(&mut self, id: ConnId, parent: Option<ConnId>) {
        let Some(c) = self.get_mut(id) else {
            return;
        };
        let before = c.parent.is_some();
        c.parent = parent;
        match (before, parent.is_some()) {
            (false, true) => self.with_parent += 1,
            (true, false) => self.with_parent -= 1,
            _ => {}
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Conn> {
        self.slots.iter().flatten()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Conn> {
        self.slots.iter_mut().flatten()
    }

    /// The connections whose parent is `id`; found without a scan when no
    /// connection has a parent.
    pub fn children_of(&self, id: ConnId) -> impl Iterator<Item = &Conn> {
        #[cfg(test)]
        assert_eq!(
            self.with_parent,
            self.iter().filter(|c| c.parent.is_some()).count(),
            "a parent was set past ConnTable::set_parent"
        );
        let slots = if self.with_parent == 0 {
            &[][..]
        } else {
            &self.slots[..]
        };
        slots.iter().flatten().filter(move |c| c.parent == Some(id))
    }
}

#[cfg(test)]
mod tests {
    use super::super::conn::{Phase, Role};
    use super::super::VhostId;
    use super::*;

    fn conn(t: &mut ConnTable, parent: Option<ConnId>) -> ConnId {
        let id = t.reserve();
        let mut c = Conn::new(id, VhostId(0), Role::Server, Phase::Raw, Default::default());
        c.parent = parent;
        t.fill(c);
        id
    }

    /// An id outlives its connection without finding the next one in its
    /// slot; children are found while they have their parent.
    #[test]
    fn stale_ids_find_nothing_and_children_are_counted() {
        let mut t = ConnTable::default();
        let a = conn(&mut t, None);
        assert!(t.remove(a).is_some());
        let b = conn(&mut t, None);
        assert_eq!(a.index, b.index, "the slot is reused");
        assert!(t.get(a).is_none() && t.get(b).is_some());
        assert!(t.remove(a).is_none(), "a stale id removes nothing");
        let child = conn(&mut t, Some(b));
        let later = conn(&mut t, None);
        t.set_parent(later, Some(b));
        let kids: Vec<ConnId> = t.children_of(b).map(|c| c.id).collect();
        assert_eq!(kids, vec![child, later]);
        t.set_parent(later, None);
        assert!(t.remove(child).is_some());
        assert_eq!(t.children_of(b).count(), 0);
        assert_eq!(t.with_parent, 0);
    }
}
