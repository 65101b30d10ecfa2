//! The store behind a cache URL, through `object_store`: `http://` and `https://` are plain
//! GET/PUT (nginx WebDAV, bazel-remote), `s3://bucket/prefix` an S3-compatible store with
//! the credentials, region and endpoint of the usual `AWS_*` environment variables.
//! Every request is bounded (connect and request timeouts, one retry), so a store that is
//! down or hangs costs seconds, not the build.

use crate::cache_url::CacheUrl;
use object_store::aws::AmazonS3Builder;
use object_store::http::HttpBuilder;
use object_store::path::Path as ObjectPath;
use object_store::{ClientOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig};
use std::sync::Arc;
use std::time::Duration;

/// How long connecting to the store may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// How long one request (headers and body) may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What a lookup found.
pub enum Fetched {
    /// The entry's bytes.
    Found(Vec<u8>),
    /// The store has no such entry.
    Missing,
}

/// An opened store, with the folder entries live in.
pub struct Store {
    store: Arc<dyn ObjectStore>,
    prefix: String,
}

impl Store {
    /// Builds the client for `url` (no request is made yet).
    pub fn open(url: &CacheUrl) -> Result<Store, String> {
        // reqwest's TLS is built without a crypto provider of its own: ring's, already
        // in the tree, serves https. Installing it twice is harmless (the first one stays).
        // rustls deprecates it for its lack of post-quantum key exchange; the alternative,
        // aws-lc-rs, is a C and CMake build, and a cache store needs no more than ureq's TLS.
        #[allow(deprecated)]
        let _ = rustls::crypto::ring::default_provider().install_default();
        let options = ClientOptions::new()
            .with_connect_timeout(CONNECT_TIMEOUT)
            .with_timeout(REQUEST_TIMEOUT)
            .with_allow_http(true);
        let retry = RetryConfig {
            max_retries: 1,
            retry_timeout: REQUEST_TIMEOUT,
            ..RetryConfig::default()
        };
        let (store, prefix): (Arc<dyn ObjectStore>, String) = match url {
            CacheUrl::Http(url) => {
                let store = HttpBuilder::new()
                    .with_url(url.clone())
                    .with_client_options(options)
                    .with_retry(retry)
                    .build()
                    .map_err(|e| e.to_string())?;
                (Arc::new(store), String::new())
            }
            CacheUrl::S3 { bucket, prefix } => {
                let store = AmazonS3Builder::from_env()
                    .with_bucket_name(bucket.clone())
                    .with_client_options(options)
                    .with_retry(retry)
                    .build()
                    .map_err(|e| e.to_string())?;
                (Arc::new(store), prefix.clone())
            }
        };
        Ok(Store { store, prefix })
    }

    fn location(&self, name: &str) -> ObjectPath {
        if self.prefix.is_empty() {
            ObjectPath::from(format!("ac/{name}"))
        } else {
            ObjectPath::from(format!("{}/ac/{name}", self.prefix))
        }
    }

    /// GETs the entry `name`.
    pub async fn get(&self, name: &str) -> Result<Fetched, String> {
        let request = async {
            match self.store.get(&self.location(name)).await {
                Ok(result) => result.bytes().await.map(|b| Fetched::Found(b.to_vec())),
                Err(object_store::Error::NotFound { .. }) => Ok(Fetched::Missing),
                Err(e) => Err(e),
            }
        };
        // The client's own timeouts bound each attempt; this bounds the whole lookup.
        match tokio::time::timeout(REQUEST_TIMEOUT * 2, request).await {
            Ok(result) => result.map_err(|e| e.to_string()),
            Err(_) => Err(format!(
                "no answer within {}s",
                (REQUEST_TIMEOUT * 2).as_secs()
            )),
        }
    }

    /// PUTs the entry `name`.
    pub async fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), String> {
        let location = self.location(name);
        let request = self.store.put(&location, PutPayload::from(bytes));
        match tokio::time::timeout(REQUEST_TIMEOUT * 2, request).await {
            Ok(result) => result.map(|_| ()).map_err(|e| e.to_string()),
            Err(_) => Err(format!(
                "no answer within {}s",
                (REQUEST_TIMEOUT * 2).as_secs()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_live_under_ac_in_the_prefix() {
        let s3 = Store {
            store: Arc::new(object_store::memory::InMemory::new()),
            prefix: "ci/main".into(),
        };
        assert_eq!(s3.location("ab").as_ref(), "ci/main/ac/ab");
        let http = Store {
            store: Arc::new(object_store::memory::InMemory::new()),
            prefix: String::new(),
        };
        assert_eq!(http.location("ab").as_ref(), "ac/ab");
    }
}
