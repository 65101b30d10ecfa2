//! `sitemap.xml`, and a sitemap index with numbered sitemaps past 50,000 URLs.
//!
//! Follows the sitemaps.org protocol: absolute, percent-encoded, entity-escaped `<loc>`s,
//! at most [`MAX_URLS_PER_SITEMAP`] per file. A bigger site gets `sitemap-1.xml`,
//! `sitemap-2.xml`, … and a `sitemap.xml` sitemap index pointing to them, so the URL that
//! crawlers and `robots.txt` know stays the same whatever the site's size.
// Used by ops::build once integrated.

use super::xml;
use protocol::OutputFile;
use std::io;
use std::path::Path;

/// One URL of the sitemap, borrowed from the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SitemapEntry<'a> {
    /// Site-absolute URL path (`/guide/install/`).
    pub url: &'a str,
    /// `YYYY-MM-DD` from the page date, if any.
    pub lastmod: Option<&'a str>,
}

/// Most URLs in one sitemap file, by the protocol.
pub const MAX_URLS_PER_SITEMAP: usize = 50_000;

const NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// Writes `sitemap.xml` (and `sitemap-N.xml` files past 50,000 URLs) into `out_dir`.
/// Entries are written sorted by URL whatever their input order. Returns the files written.
///
/// A URL listed twice is written once, with its latest `lastmod`.
pub fn write_sitemap(
    out_dir: &Path,
    base_url: &str,
    entries: &[SitemapEntry<'_>],
) -> io::Result<Vec<OutputFile>> {
    let mut sorted: Vec<&SitemapEntry<'_>> = entries.iter().collect();
    sorted.sort();
    // Sorted by (url, lastmod), the last of a run of equal URLs has the latest lastmod.
    sorted.dedup_by(|later, earlier| {
        if later.url == earlier.url {
            *earlier = *later;
            true
        } else {
            false
        }
    });
    if sorted.len() <= MAX_URLS_PER_SITEMAP {
        let bytes = urlset(base_url, &sorted)?;
        return Ok(vec![worker::outputs::write_output(
            out_dir,
            "sitemap.xml",
            &bytes,
        )?]);
    }
    let mut written = Vec::new();
    let mut parts = Vec::new();
    for (index, chunk) in sorted.chunks(MAX_URLS_PER_SITEMAP).enumerate() {
        let name = format!("sitemap-{}.xml", index + 1);
        let bytes = urlset(base_url, chunk)?;
        written.push(worker::outputs::write_output(out_dir, &name, &bytes)?);
        let lastmod = chunk.iter().filter_map(|entry| entry.lastmod).max();
        parts.push((name, lastmod));
    }
    let index = sitemap_index(base_url, &parts)?;
    written.insert(
        0,
        worker::outputs::write_output(out_dir, "sitemap.xml", &index)?,
    );
    Ok(written)
}

/// A `<urlset>` of sorted entries.
fn urlset(base_url: &str, entries: &[&SitemapEntry<'_>]) -> io::Result<Vec<u8>> {
    let mut writer = xml::document()?;
    writer
        .create_element("urlset")
        .with_attribute(("xmlns", NAMESPACE))
        .write_inner_content(|writer| {
            for entry in entries {
                located(writer, "url", base_url, entry.url, entry.lastmod)?;
            }
            Ok(())
        })?;
    Ok(xml::finish(writer))
}

/// `<element><loc>…</loc><lastmod>…</lastmod></element>`, the shape of a sitemap's URL and
/// of a sitemap index's entry.
fn located(
    writer: &mut quick_xml::Writer<Vec<u8>>,
    element: &str,
    base_url: &str,
    url: &str,
    lastmod: Option<&str>,
) -> io::Result<()> {
    writer
        .create_element(element)
        .write_inner_content(|writer| {
            let loc = xml::absolute_url(base_url, url);
            xml::text_element(writer, "loc", &xml::encode_url(&loc))?;
            if let Some(lastmod) = lastmod {
                xml::text_element(writer, "lastmod", lastmod)?;
            }
            Ok(())
        })?;
    Ok(())
}

/// A `<sitemapindex>` of numbered sitemaps, each with the latest `lastmod` of its URLs.
fn sitemap_index(base_url: &str, parts: &[(String, Option<&str>)]) -> io::Result<Vec<u8>> {
    let mut writer = xml::document()?;
    writer
        .create_element("sitemapindex")
        .with_attribute(("xmlns", NAMESPACE))
        .write_inner_content(|writer| {
            for (name, lastmod) in parts {
                located(writer, "sitemap", base_url, name, *lastmod)?;
            }
            Ok(())
        })?;
    Ok(xml::finish(writer))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(url: &'a str, lastmod: Option<&'a str>) -> SitemapEntry<'a> {
        SitemapEntry { url, lastmod }
    }

    fn read(dir: &Path, name: &str) -> String {
        std::fs::read_to_string(dir.join(name)).unwrap()
    }

    #[test]
    fn one_sitemap_sorted_and_escaped() {
        let out = tempfile::tempdir().unwrap();
        let entries = [
            entry("/b/", None),
            entry("/a&b/'q'/", Some("2024-05-01")),
            entry("/tags/überblick/", None),
            entry("/", Some("2024-01-02")),
            entry("/b/", Some("2023-01-01")),
        ];
        let written = write_sitemap(out.path(), "https://example.org/docs/", &entries).unwrap();
        assert_eq!(written.len(), 1);
        assert_eq!(written[0].path, "sitemap.xml");
        let expected = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url>
    <loc>https://example.org/docs/</loc>
    <lastmod>2024-01-02</lastmod>
  </url>
  <url>
    <loc>https://example.org/docs/a&amp;b/&apos;q&apos;/</loc>
    <lastmod>2024-05-01</lastmod>
  </url>
  <url>
    <loc>https://example.org/docs/b/</loc>
    <lastmod>2023-01-01</lastmod>
  </url>
  <url>
    <loc>https://example.org/docs/tags/%C3%BCberblick/</loc>
  </url>
</urlset>
"#;
        assert_eq!(read(out.path(), "sitemap.xml"), expected);
        assert_eq!(written[0].len, expected.len() as u64);
    }

    #[test]
    fn empty_site() {
        let out = tempfile::tempdir().unwrap();
        write_sitemap(out.path(), "https://example.org/", &[]).unwrap();
        assert_eq!(
            read(out.path(), "sitemap.xml"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n</urlset>\n"
        );
    }

    #[test]
    fn index_past_the_limit_and_order_independent() {
        let n_urls = MAX_URLS_PER_SITEMAP + 1;
        let owned: Vec<(String, Option<String>)> = (0..n_urls)
            .map(|index| {
                let lastmod = (index % 7 == 0).then(|| format!("2024-01-{:02}", 1 + index % 28));
                (format!("/page-{index:06}/"), lastmod)
            })
            .collect();
        let mut entries: Vec<SitemapEntry<'_>> = owned
            .iter()
            .map(|(url, lastmod)| entry(url, lastmod.as_deref()))
            .collect();
        let out = tempfile::tempdir().unwrap();
        let written = write_sitemap(out.path(), "https://example.org/", &entries).unwrap();
        let paths: Vec<&str> = written.iter().map(|file| file.path.as_str()).collect();
        assert_eq!(paths, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);

        let index = read(out.path(), "sitemap.xml");
        assert!(
            index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
        );
        assert!(index.contains("<loc>https://example.org/sitemap-1.xml</loc>"));
        assert!(index.contains("<loc>https://example.org/sitemap-2.xml</loc>"));
        let first = read(out.path(), "sitemap-1.xml");
        let second = read(out.path(), "sitemap-2.xml");
        assert_eq!(first.matches("<url>").count(), MAX_URLS_PER_SITEMAP);
        assert_eq!(second.matches("<url>").count(), 1);
        assert!(second.contains("<loc>https://example.org/page-050000/</loc>"));

        // Reversed and rotated input gives the same bytes.
        entries.reverse();
        entries.rotate_left(12_345);
        let again = tempfile::tempdir().unwrap();
        let written_again = write_sitemap(again.path(), "https://example.org/", &entries).unwrap();
        let content = |files: &[OutputFile]| -> Vec<(String, u128, u64)> {
            files
                .iter()
                .map(|f| (f.path.clone(), f.hash, f.len))
                .collect()
        };
        assert_eq!(content(&written), content(&written_again));
        for name in paths {
            assert_eq!(read(out.path(), name), read(again.path(), name), "{name}");
        }
    }
}
