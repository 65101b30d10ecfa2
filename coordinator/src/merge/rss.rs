//! `rss.xml`: the [`FEED_ITEMS`] newest dated pages, as RSS 2.0.
//!
//! The feed holds no build timestamp: `lastBuildDate` is the newest item's date, so an
//! unchanged site gives a byte-identical feed (and feed readers see no phantom update).
//! Dates come from front matter, already normalised to RFC 3339; a date without a time is
//! midnight UTC, a datetime without an offset is taken as UTC.
// Used by ops::build once integrated.

use super::xml;
use jiff::fmt::temporal::Pieces;
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, Zoned};
use protocol::OutputFile;
use quick_xml::Writer;
use quick_xml::escape::escape;
use quick_xml::events::BytesText;
use std::cmp::Reverse;
use std::io;
use std::path::Path;

/// A page that may appear in the feed, borrowed from the build (every dated page is a
/// candidate; only [`FEED_ITEMS`] are written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedItem<'a> {
    /// Title.
    pub title: &'a str,
    /// Site-absolute URL path.
    pub url: &'a str,
    /// RFC 3339 date or datetime from front matter.
    pub date: &'a str,
    /// Description from front matter, else the page summary.
    pub description: &'a str,
}

/// Site-level fields of the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedChannel<'a> {
    /// Site title.
    pub title: &'a str,
    /// Absolute base URL ending with `/`.
    pub base_url: &'a str,
    /// Site description.
    pub description: Option<&'a str>,
    /// Language code.
    pub language: &'a str,
}

/// Most items in the feed.
pub const FEED_ITEMS: usize = 20;

/// Writes `rss.xml` with the [`FEED_ITEMS`] newest items (date descending, then URL), in a
/// deterministic order whatever the input order.
///
/// Items with an empty date are left out (an undated page has no place in a feed). A date
/// that is not RFC 3339 is an `InvalidInput` error naming the page: front matter dates are
/// normalised before they get here, so it is a bug upstream, not something to hide.
pub fn write_rss(
    out_dir: &Path,
    channel: &FeedChannel<'_>,
    items: &[FeedItem<'_>],
) -> io::Result<OutputFile> {
    let invalid = |item: &FeedItem<'_>, reason: String| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "rss.xml: page {} has date {:?}: {reason}",
                item.url, item.date
            ),
        )
    };
    let mut dated = Vec::with_capacity(items.len());
    for item in items.iter().filter(|item| !item.date.trim().is_empty()) {
        let zoned = feed_datetime(item.date).map_err(|reason| invalid(item, reason))?;
        dated.push((zoned.timestamp(), zoned, item));
    }

    // Every field takes part in the order, so equal dates and even duplicate URLs never
    // leave the order to the input.
    dated.sort_by(|(instant_a, _, a), (instant_b, _, b)| {
        (
            Reverse(instant_a),
            &a.url,
            &a.title,
            &a.description,
            &a.date,
        )
            .cmp(&(
                Reverse(instant_b),
                &b.url,
                &b.title,
                &b.description,
                &b.date,
            ))
    });
    dated.truncate(FEED_ITEMS);
    // Formatted for the items kept only: a large site has tens of thousands of candidates.
    let dated = dated
        .into_iter()
        .map(|(instant, zoned, item)| {
            Ok((
                instant,
                pub_date(&zoned).map_err(|r| invalid(item, r))?,
                item,
            ))
        })
        .collect::<io::Result<Vec<_>>>()?;

    let mut writer = xml::document()?;
    writer
        .create_element("rss")
        .with_attribute(("version", "2.0"))
        .with_attribute(("xmlns:atom", "http://www.w3.org/2005/Atom"))
        .write_inner_content(|writer| {
            writer
                .create_element("channel")
                .write_inner_content(|writer| write_channel(writer, channel, &dated))?;
            Ok(())
        })?;
    worker::outputs::write_output(out_dir, "rss.xml", &xml::finish(writer))
}

/// The channel's own elements, then its items (already sorted and limited).
fn write_channel(
    writer: &mut Writer<Vec<u8>>,
    channel: &FeedChannel<'_>,
    dated: &[(Timestamp, String, &FeedItem<'_>)],
) -> io::Result<()> {
    xml::text_element(writer, "title", channel.title)?;
    xml::text_element(writer, "link", &xml::encode_url(channel.base_url))?;
    // RSS 2.0 requires a description; the title is the best stand-in.
    let description = channel.description.unwrap_or(channel.title);
    xml::text_element(writer, "description", description)?;
    xml::text_element(writer, "language", channel.language)?;
    if let Some((_, newest, _)) = dated.first() {
        xml::text_element(writer, "lastBuildDate", newest)?;
    }
    let self_url = xml::absolute_url(channel.base_url, "rss.xml");
    writer
        .create_element("atom:link")
        .with_attribute(("href", xml::encode_url(&self_url).as_ref()))
        .with_attribute(("rel", "self"))
        .with_attribute(("type", "application/rss+xml"))
        .write_empty()?;
    for (_, pub_date, item) in dated {
        let link = xml::absolute_url(channel.base_url, item.url);
        let link = xml::encode_url(&link);
        writer
            .create_element("item")
            .write_inner_content(|writer| {
                xml::text_element(writer, "title", item.title)?;
                xml::text_element(writer, "link", &link)?;
                writer
                    .create_element("guid")
                    .with_attribute(("isPermaLink", "true"))
                    .write_text_content(BytesText::from_escaped(escape(link.as_ref())))?;
                xml::text_element(writer, "pubDate", pub_date)?;
                xml::text_element(writer, "description", item.description)?;
                Ok(())
            })?;
    }
    Ok(())
}

/// The instant of an RFC 3339 date for ordering, and its RFC 2822 form for `pubDate`
/// (`Wed, 01 May 2024 10:00:00 +0200`), keeping the page's own offset.
/// A front matter date as a zoned datetime (midnight UTC for a bare date, UTC for a
/// datetime without an offset).
fn feed_datetime(date: &str) -> Result<Zoned, String> {
    let pieces = Pieces::parse(date.trim()).map_err(|error| error.to_string())?;
    let time = pieces.time().unwrap_or_default();
    let offset = pieces
        .offset()
        .map_or(Offset::UTC, |offset| offset.to_numeric_offset());
    pieces
        .date()
        .to_datetime(time)
        .to_zoned(TimeZone::fixed(offset))
        .map_err(|error| error.to_string())
}

/// RFC 822 as RSS wants it: `Wed, 01 May 2024 10:00:00 +0200`.
fn pub_date(zoned: &Zoned) -> Result<String, String> {
    jiff::fmt::strtime::format("%a, %d %b %Y %H:%M:%S %z", zoned).map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHANNEL: FeedChannel<'static> = FeedChannel {
        title: "Docs & <More>",
        base_url: "https://example.org/docs/",
        description: Some("Everything \"quoted\""),
        language: "en",
    };

    /// A test item; its strings live as long as the test process (leaked on purpose).
    fn item(url: &str, date: &str) -> FeedItem<'static> {
        let keep = |text: String| -> &'static str { Box::leak(text.into_boxed_str()) };
        FeedItem {
            title: keep(format!("Page {url}")),
            url: keep(url.to_string()),
            date: keep(date.to_string()),
            description: keep(format!("About {url}")),
        }
    }

    fn render(items: &[FeedItem<'_>]) -> String {
        let out = tempfile::tempdir().unwrap();
        let written = write_rss(out.path(), &CHANNEL, items).unwrap();
        assert_eq!(written.path, "rss.xml");
        std::fs::read_to_string(out.path().join("rss.xml")).unwrap()
    }

    fn item_urls(feed: &str) -> Vec<&str> {
        feed.split("<link>")
            .skip(2)
            .filter_map(|rest| rest.split("</link>").next())
            .collect()
    }

    #[test]
    fn pub_dates() {
        for (date, expected) in [
            ("2024-05-01", "Wed, 01 May 2024 00:00:00 +0000"),
            ("2024-05-01T10:00:00", "Wed, 01 May 2024 10:00:00 +0000"),
            ("2024-05-01T10:00:00Z", "Wed, 01 May 2024 10:00:00 +0000"),
            (
                "2024-05-01T10:00:00.75+02:00",
                "Wed, 01 May 2024 10:00:00 +0200",
            ),
            (
                "2024-12-24T23:30:00-05:30",
                "Tue, 24 Dec 2024 23:30:00 -0530",
            ),
        ] {
            assert_eq!(
                feed_datetime(date).and_then(|zoned| pub_date(&zoned)),
                Ok(expected.to_string()),
                "{date}"
            );
        }
    }

    #[test]
    fn whole_feed() {
        let items = [
            FeedItem {
                title: "Tom & Jerry <3",
                url: "/blog/tom/",
                date: "2024-05-01T10:00:00+02:00",
                description: "Use <b>bold</b> & \"quotes\"",
            },
            item("/undated/", ""),
            item("/old/", "2023-01-01"),
        ];
        let expected = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Docs &amp; &lt;More&gt;</title>
    <link>https://example.org/docs/</link>
    <description>Everything &quot;quoted&quot;</description>
    <language>en</language>
    <lastBuildDate>Wed, 01 May 2024 10:00:00 +0200</lastBuildDate>
    <atom:link href="https://example.org/docs/rss.xml" rel="self" type="application/rss+xml"/>
    <item>
      <title>Tom &amp; Jerry &lt;3</title>
      <link>https://example.org/docs/blog/tom/</link>
      <guid isPermaLink="true">https://example.org/docs/blog/tom/</guid>
      <pubDate>Wed, 01 May 2024 10:00:00 +0200</pubDate>
      <description>Use &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot;</description>
    </item>
    <item>
      <title>Page /old/</title>
      <link>https://example.org/docs/old/</link>
      <guid isPermaLink="true">https://example.org/docs/old/</guid>
      <pubDate>Sun, 01 Jan 2023 00:00:00 +0000</pubDate>
      <description>About /old/</description>
    </item>
  </channel>
</rss>
"#;
        assert_eq!(render(&items), expected);
    }

    #[test]
    fn ordering_and_limit() {
        // Same instant written with different offsets ties on the date, then sorts by URL.
        let mut items = vec![
            item("/b/", "2024-05-01T12:00:00+02:00"),
            item("/a/", "2024-05-01T10:00:00Z"),
            item("/c/", "2024-05-01T11:00:00Z"),
            item("/d/", "2024-05-01"),
        ];
        assert_eq!(
            item_urls(&render(&items)),
            [
                "https://example.org/docs/c/",
                "https://example.org/docs/a/",
                "https://example.org/docs/b/",
                "https://example.org/docs/d/",
            ]
        );
        // Thirty dated pages: only the twenty newest, newest first.
        items = (1..=30)
            .map(|day| item(&format!("/day-{day:02}/"), &format!("2024-06-{day:02}")))
            .collect();
        let feed = render(&items);
        let urls = item_urls(&feed);
        assert_eq!(urls.len(), FEED_ITEMS);
        assert_eq!(urls.first(), Some(&"https://example.org/docs/day-30/"));
        assert_eq!(urls.last(), Some(&"https://example.org/docs/day-11/"));
        assert!(feed.contains("<lastBuildDate>Sun, 30 Jun 2024 00:00:00 +0000</lastBuildDate>"));
        // Any input order gives the same bytes.
        items.reverse();
        items.rotate_left(7);
        assert_eq!(render(&items), feed);
    }

    #[test]
    fn empty_feed_and_bad_dates() {
        let feed = render(&[]);
        assert!(!feed.contains("<item>") && !feed.contains("lastBuildDate"));
        let out = tempfile::tempdir().unwrap();
        let error = write_rss(out.path(), &CHANNEL, &[item("/x/", "yesterday")]).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert!(
            error
                .to_string()
                .starts_with("rss.xml: page /x/ has date \"yesterday\": ")
        );
    }
}
