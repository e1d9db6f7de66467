//! The station's network side: one small current-thread tokio runtime on its own
//! thread (`loa-net`), the reqwest clients built from one builder (connect timeout,
//! proxies from the environment, rustls with the `ring` provider and the
//! system's roots loaded once, on the first https handshake: `tls.rs`), and a blocking
//! front door — [`get`] — for the plain threads that need the network (the feed
//! worker, `loa sync`, relay workers): the request runs on the runtime, its head
//! comes back over a channel, its body as chunks through a bounded channel read
//! by [`Body`] (`std::io::Read`).
//!
//! Later users on the same runtime (the hub link: heartbeats, SSE nudges) take
//! [`Net::handle`] and [`Net::client`] and spawn their own tasks.
//!
//! Knows nothing of feeds, manifests or audio; trusts no byte it carries (callers cap
//! and check), and never blocks the runtime thread on a caller.

mod body;
mod error;
mod get;
mod runtime;
mod tls;

#[cfg(test)]
mod tests;

pub use body::Body;
pub use error::NetError;
pub use get::{get, Request, Response};
pub use runtime::{shared, ClientKey, Net};
