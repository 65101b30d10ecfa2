//! How a cached page's API references (`py:`, `py-inherited:` link dependencies) are
//! checked. Each resolved against this build's API inventory, as the page resolved them,
//! unless the inventory is the very one the previous build checked its entries against:
//! then every reference resolves as it did, and neither the resolver (a large API's
//! indexes) is built nor a reference resolved again.
//!
//! The previous build records its inventory's digest ([`API_DIGEST_FILE`]) only when it
//! ended without errors: every entry it kept had then been checked against that
//! inventory, or rendered with it.

use protocol::ApiInventory;
use std::sync::{Arc, OnceLock};
use worker::xref::Resolver;

/// The cache file holding the digest of the inventory the previous build checked against.
pub const API_DIGEST_FILE: &str = "api-digest.bin";

/// The digest of an inventory, as [`API_DIGEST_FILE`] keeps it.
pub fn api_digest(inventory: &ApiInventory) -> u128 {
    super::format::encoded_digest(inventory)
}

/// The API references' check of one build.
pub struct ApiCheck<'a> {
    inventory: &'a Arc<ApiInventory>,
    /// The entries were checked against this same inventory.
    unchanged: bool,
    /// Built on the first reference to resolve.
    resolver: OnceLock<Resolver>,
}

impl<'a> ApiCheck<'a> {
    /// Resolves every reference again against `inventory`.
    pub fn recheck(inventory: &'a Arc<ApiInventory>) -> ApiCheck<'a> {
        ApiCheck {
            inventory,
            unchanged: false,
            resolver: OnceLock::new(),
        }
    }

    /// Checks entries the previous build left: references hold as they are when the
    /// previous build's recorded digest is `recorded_digest` and equals `inventory`'s.
    pub fn against_previous(
        inventory: &'a Arc<ApiInventory>,
        recorded_digest: Option<u128>,
    ) -> ApiCheck<'a> {
        ApiCheck {
            unchanged: recorded_digest == Some(api_digest(inventory)),
            ..ApiCheck::recheck(inventory)
        }
    }

    /// For an API reference `target`: whether it still resolves to `recorded`; `None` when
    /// `target` is not an API reference (a link to a page: the plan answers).
    pub fn holds(&self, target: &str, recorded: &Option<String>) -> Option<bool> {
        if !worker::xref::is_api_target(target) {
            return None;
        }
        if self.unchanged {
            return Some(true);
        }
        let now = self
            .resolver
            .get_or_init(|| Resolver::new(self.inventory))
            .recheck_target(target)?;
        Some(&now == recorded)
    }

    /// The resolver, when one was built (to be freed off the build's path).
    pub fn into_resolver(self) -> Option<Resolver> {
        self.resolver.into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::{ApiModule, ApiObject, ObjectKind};

    fn inventory(anchor_suffix: u32) -> ApiInventory {
        ApiInventory {
            modules: vec![ApiModule {
                name: "pkg".into(),
                url: "/api/pkg/".into(),
                objects: vec![ApiObject {
                    qualname: "run".into(),
                    kind: ObjectKind::Function,
                    anchor_suffix,
                }],
                class_bases: Vec::new(),
                imports: vec![],
                file: String::new(),
                is_package: false,
                include_private: false,
                merge_init_into_class: false,
            }]
            .into(),
            external: vec![].into(),
            backlinks: None,
        }
    }

    #[test]
    fn references_are_resolved_again_unless_the_inventory_is_the_recorded_one() {
        let target = "py:pkg||-|run";
        let then = Arc::new(inventory(0));
        let recorded = Some("/api/pkg/#pkg.run".to_string());
        assert_eq!(
            ApiCheck::recheck(&then).holds(target, &recorded),
            Some(true)
        );
        let moved = Arc::new(inventory(2));
        let check = ApiCheck::recheck(&moved);
        assert_eq!(check.holds(target, &recorded), Some(false));
        assert!(check.into_resolver().is_some());
        // The recorded digest of `then`: a reference holds without a resolver.
        let same = ApiCheck::against_previous(&then, Some(api_digest(&then)));
        assert_eq!(same.holds(target, &Some("/elsewhere/".into())), Some(true));
        // A link to a page is not the API's to answer.
        assert_eq!(same.holds("guide/intro.md", &None), None);
        assert!(same.into_resolver().is_none());
        // Another inventory than the recorded one: resolved again.
        let other = ApiCheck::against_previous(&moved, Some(api_digest(&then)));
        assert_eq!(other.holds(target, &recorded), Some(false));
        assert_eq!(
            ApiCheck::against_previous(&then, None).holds(target, &recorded),
            Some(true)
        );
    }
}
