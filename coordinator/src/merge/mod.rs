//! Merge: site-wide artifacts from every page's result (sitemap, search index, RSS,
//! `llm-full.txt`) and the cross-page link check.

pub mod llm_full;
pub mod rss;
pub mod search;
pub mod sitemap;
mod xml;
