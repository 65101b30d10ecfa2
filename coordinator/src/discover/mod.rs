//! Discovery: reading the site folder (config, content, front matter, Python modules,
//! templates, static files) without rendering anything.

pub mod front_matter;
