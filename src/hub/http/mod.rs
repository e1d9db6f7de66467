//! The hub's own HTTP limits, below the routes: what keeps a slow, greedy or
//! misdirected client from hurting everyone else. Nothing here knows a route's
//! business; `app::router` adds the layers and `app::serve` calls `serve`.
//!
//! ```text
//! serve.rs        accept loop: hyper HTTP/1 per connection, header / idle timeout,
//!                 body progress timeout, graceful shutdown
//! per_address.rs  open connections per client address (hub.toml
//!                 `max_connections_per_address`; trusted proxies exempt)
//! stall.rs        the socket wrapper that cuts an answer the client stopped reading
//! host.rs         `Host` and `Origin` must name this hub (DNS rebinding, CSRF): 421
//! headers.rs      CSP, X-Frame-Options, nosniff, Referrer-Policy on every answer;
//!                 `Framing::Anywhere` lets one route be framed
//! refusal.rs      the JSON refusal body, also as raw bytes for the socket layer
//! ```

pub mod headers;
pub mod host;
pub mod per_address;
pub mod refusal;
pub mod serve;
pub mod stall;
