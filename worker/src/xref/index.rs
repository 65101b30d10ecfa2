//! The site's API inventory indexed for name lookups without copying it: the index keeps
//! the shared [`ApiInventory`] and tables of small ids into it (a module's index, an
//! object's number), hashed by the full dotted name computed piecewise (module name, `.`,
//! qualified name) and compared against the inventory on lookup. URLs are made when a
//! lookup succeeds, not up front. On a large API this holds a few bytes per object where
//! maps of owned names and URLs held more than the inventory itself.
//!
//! A name documented twice keeps its first entry, as everywhere in cross-references.

use crate::id_table::{Duplicates, IdTable, hash_joined, hash_str, is_joined};
use protocol::{ApiInventory, ApiModule, ApiObject, ExternalObject, ObjectKind};
use std::sync::Arc;

/// The inventory and its lookup tables.
#[derive(Debug, Default)]
pub(super) struct ApiIndex {
    inventory: Arc<ApiInventory>,
    /// The number of each module's first object: objects of all modules are numbered one
    /// after the other, in inventory order.
    object_starts: Vec<u32>,
    /// Module index by dotted name.
    modules: IdTable,
    /// Object number by full dotted name (`pkg.core.Command.run`).
    objects: IdTable,
    /// Number of each class (and exception) by full dotted name.
    classes: IdTable,
    /// Modules named like an earlier module, in order: their objects can be members of
    /// the earlier one's classes.
    repeated_modules: Vec<u32>,
    external: ExternalOrder,
}

/// How external objects are found by name.
#[derive(Debug, Default)]
enum ExternalOrder {
    /// Not indexed: no external object resolves.
    #[default]
    Unindexed,
    /// The inventory's list is sorted by name, each name once: searched as it is.
    AsSent,
    /// Positions in the inventory's list, sorted by name (stably: of equal names, the
    /// first comes first).
    Sorted(Vec<u32>),
}

/// A documented object of the site, as the index finds it.
#[derive(Debug, Clone, Copy)]
pub(super) struct SiteObject<'i> {
    /// The module documenting it.
    pub module: &'i ApiModule,
    /// The object.
    pub object: &'i ApiObject,
    /// The module's index in the inventory.
    module_index: u32,
    /// The object's position in its module's objects.
    object_index: u32,
}

impl<'i> SiteObject<'i> {
    /// Its base classes as written, when it is a class that has any.
    pub fn bases(&self) -> &'i [protocol::CompactString] {
        self.module.bases_of(self.object_index as usize)
    }

    /// Its URL with anchor (`/api/pkg/core/#pkg.core.Command`).
    pub fn url(&self) -> String {
        let (module, object) = (self.module, self.object);
        let mut url = String::with_capacity(
            module.url.len() + module.name.len() + object.qualname.len() + 12,
        );
        url.push_str(&module.url);
        url.push('#');
        protocol::push_object_anchor(
            &mut url,
            &module.name,
            &object.qualname,
            object.anchor_suffix,
        );
        url
    }
}

/// A count or position as an id. Every object takes far more than a byte of memory, so
/// none of an inventory's counts reaches 2^32.
pub(super) fn id(position: usize) -> u32 {
    u32::try_from(position).expect("an inventory holds fewer than 2^32 entries of a kind")
}

/// True when `first_module.first_qualname` and `second_module.second_qualname` are the
/// same dotted name (`a.b` + `C` is `a` + `b.C`).
fn same_full_name(first: (&str, &str), second: (&str, &str)) -> bool {
    if first.0.len() == second.0.len() {
        return first == second;
    }
    let (shorter, longer) = if first.0.len() < second.0.len() {
        (first, second)
    } else {
        (second, first)
    };
    // `shorter.0` + `.` + `shorter.1` is `longer.0` + `.` + `longer.1`: `longer.0` starts
    // with `shorter.0.`, and the rest of it, a dot and `longer.1` make `shorter.1`.
    shorter.0.len() + shorter.1.len() == longer.0.len() + longer.1.len()
        && longer.0.starts_with(shorter.0)
        && longer.0.as_bytes()[shorter.0.len()] == b'.'
        && is_joined(shorter.1, &longer.0[shorter.0.len() + 1..], ".", longer.1)
}

impl ApiIndex {
    /// Indexes every module, object, class and external object of `inventory`.
    pub fn new(inventory: Arc<ApiInventory>) -> ApiIndex {
        let mut index = ApiIndex::modules_only(inventory);
        let inventory = Arc::clone(&index.inventory);
        let n_objects = index.object_starts.last().copied().unwrap_or(0) as usize;
        let n_classes = inventory
            .modules
            .iter()
            .flat_map(|module| &module.objects)
            .filter(|object| is_class(object.kind))
            .count();
        let mut objects = IdTable::with_capacity(n_objects);
        let mut classes = IdTable::with_capacity(n_classes);
        let hash_of = |number: u32| {
            let found = index.object(number);
            hash_joined(&found.module.name, ".", &found.object.qualname)
        };
        let mut number = 0;
        for module in inventory.modules.iter() {
            for object in &module.objects {
                let hash = hash_joined(&module.name, ".", &object.qualname);
                let same_key = |other: u32| {
                    let found = index.object(other);
                    same_full_name(
                        (&found.module.name, &found.object.qualname),
                        (&module.name, &object.qualname),
                    )
                };
                objects.insert(hash, number, Duplicates::KeepFirst, same_key, hash_of);
                if is_class(object.kind) {
                    classes.insert(hash, number, Duplicates::KeepFirst, same_key, hash_of);
                }
                number += 1;
            }
        }
        let external = if inventory
            .external
            .windows(2)
            .all(|pair| pair[0].name < pair[1].name)
        {
            ExternalOrder::AsSent
        } else {
            let mut order: Vec<u32> = (0..id(inventory.external.len())).collect();
            order.sort_by(|&a, &b| {
                inventory.external[a as usize]
                    .name
                    .cmp(&inventory.external[b as usize].name)
            });
            ExternalOrder::Sorted(order)
        };
        index.objects = objects;
        index.classes = classes;
        index.external = external;
        index
    }

    /// Indexes only the modules of `inventory` (no object, class or external name
    /// resolves).
    pub fn modules_only(inventory: Arc<ApiInventory>) -> ApiIndex {
        let mut object_starts = Vec::with_capacity(inventory.modules.len() + 1);
        let mut n_objects = 0;
        let mut modules = IdTable::with_capacity(inventory.modules.len());
        let mut repeated_modules = Vec::new();
        let name_of = |index: u32| inventory.modules[index as usize].name.as_str();
        for (index, module) in inventory.modules.iter().enumerate() {
            object_starts.push(id(n_objects));
            n_objects += module.objects.len();
            let is_new = modules.insert(
                hash_str(&module.name),
                id(index),
                Duplicates::KeepFirst,
                |other| name_of(other) == module.name,
                |other| hash_str(name_of(other)),
            );
            if !is_new {
                repeated_modules.push(id(index));
            }
        }
        object_starts.push(id(n_objects));
        ApiIndex {
            inventory,
            object_starts,
            modules,
            objects: IdTable::default(),
            classes: IdTable::default(),
            repeated_modules,
            external: ExternalOrder::Unindexed,
        }
    }

    /// The inventory indexed.
    pub fn inventory(&self) -> &ApiInventory {
        &self.inventory
    }

    /// True when no module and no external object is indexed.
    pub fn is_empty(&self) -> bool {
        self.modules.len() == 0
            && (matches!(self.external, ExternalOrder::Unindexed)
                || self.inventory.external.is_empty())
    }

    /// The index of the module named `name`.
    pub fn module_index(&self, name: &str) -> Option<u32> {
        self.modules.find(hash_str(name), |index| {
            self.inventory.modules[index as usize].name == name
        })
    }

    /// The module named `name`.
    pub fn module(&self, name: &str) -> Option<&ApiModule> {
        self.module_index(name)
            .map(|index| &self.inventory.modules[index as usize])
    }

    /// True when `name` is a documented module.
    pub fn is_module(&self, name: &str) -> bool {
        self.module_index(name).is_some()
    }

    /// The object with full dotted name `name`.
    pub fn object_named(&self, name: &str) -> Option<SiteObject<'_>> {
        self.find_in(&self.objects, name)
    }

    /// The class (or exception) with full dotted name `name`.
    pub fn class_named(&self, name: &str) -> Option<SiteObject<'_>> {
        self.find_in(&self.classes, name)
    }

    fn find_in(&self, table: &IdTable, name: &str) -> Option<SiteObject<'_>> {
        let number = table.find(hash_str(name), |number| {
            let found = self.object(number);
            is_joined(name, &found.module.name, ".", &found.object.qualname)
        })?;
        Some(self.object(number))
    }

    /// The object numbered `number`.
    fn object(&self, number: u32) -> SiteObject<'_> {
        let module_index = self
            .object_starts
            .partition_point(|&start| start <= number)
            .saturating_sub(1);
        let module = &self.inventory.modules[module_index];
        let object_index = number - self.object_starts[module_index];
        SiteObject {
            module,
            object: &module.objects[object_index as usize],
            module_index: id(module_index),
            object_index,
        }
    }

    /// The documented direct members of `class` (a class found by [`ApiIndex::class_named`]),
    /// with their names: the objects named `<class>.<name>` of its module, and of the
    /// modules after it with the same name (whose objects are members of the classes
    /// indexed before them), in inventory order.
    pub fn members<'i>(
        &'i self,
        class: SiteObject<'i>,
    ) -> impl Iterator<Item = (&'i str, SiteObject<'i>)> + 'i {
        let repeated = self.repeated_modules.iter().copied().filter(move |&index| {
            index > class.module_index
                && self.inventory.modules[index as usize].name == class.module.name
        });
        std::iter::once(class.module_index)
            .chain(repeated)
            .flat_map(move |module_index| {
                let module = &self.inventory.modules[module_index as usize];
                module
                    .objects
                    .iter()
                    .enumerate()
                    .filter_map(move |(object_index, object)| {
                        let (parent, name) = object.qualname.rsplit_once('.')?;
                        (parent == class.object.qualname).then_some((
                            name,
                            SiteObject {
                                module,
                                object,
                                module_index,
                                object_index: id(object_index),
                            },
                        ))
                    })
            })
    }

    /// The external object named `name` (the first of that name).
    pub fn external(&self, name: &str) -> Option<&ExternalObject> {
        let external = &self.inventory.external;
        match &self.external {
            ExternalOrder::Unindexed => None,
            ExternalOrder::AsSent => {
                let at = external.partition_point(|object| object.name.as_str() < name);
                external.get(at).filter(|object| object.name == name)
            }
            ExternalOrder::Sorted(order) => {
                let at = order.partition_point(|&i| external[i as usize].name.as_str() < name);
                order
                    .get(at)
                    .map(|&i| &external[i as usize])
                    .filter(|object| object.name == name)
            }
        }
    }
}

fn is_class(kind: ObjectKind) -> bool {
    matches!(kind, ObjectKind::Class | ObjectKind::Exception)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_names_compare_across_module_boundaries() {
        assert!(same_full_name(("a.b", "C"), ("a", "b.C")));
        assert!(same_full_name(("a", "b.C"), ("a.b", "C")));
        assert!(same_full_name(("a", "b"), ("a", "b")));
        assert!(!same_full_name(("a.b", "C"), ("a", "bC")));
        assert!(!same_full_name(("a.b", "C"), ("a", "b.D")));
        assert!(!same_full_name(("a.b", "C"), ("ab", ".C")));
        assert!(!same_full_name(("ax", "C"), ("a", "x.C")));
        assert!(!same_full_name(("a.bc", "D"), ("a", "b.D")));
    }
}
