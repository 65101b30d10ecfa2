//! Syntax highlighting of code blocks with syntect (CSS classes, no inline styles), cached
//! by content hash because highlighting is the slowest step of rendering.
//!
//! OWNER: markdown helper.

/// CSS for the highlighting classes, light theme plus a `prefers-color-scheme: dark` /
/// `[data-theme=dark]` variant.
pub fn highlight_css() -> String {
    todo!()
}
