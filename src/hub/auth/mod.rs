//! Who is asking: passwords, sessions (the `CurrentUser` extractor), the
//! client address, failed-login rate limits and the cross-site check.
pub mod csrf;
pub mod password;
pub mod ratelimit;
pub mod session;

pub use session::{ClientAddr, CurrentUser, SignedIn};
