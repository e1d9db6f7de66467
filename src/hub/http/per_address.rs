//! How many connections one client address holds open at once (hub.toml
//! `max_connections_per_address`, default 64, 0 = no cap). One machine
//! cannot take all the hub's sockets with idle or slow connections; the
//! next one is answered 429 and closed.
//!
//! The address is the TCP peer: an IPv4 address, or an IPv6 /64 (one
//! subscriber's whole prefix, which it can hop across freely). The hub
//! never reads `X-Forwarded-For` for this (it would need the request first);
//! instead `trusted_proxies` — the nginx in front, through which every
//! client arrives — are not counted: cap per client there (`limit_conn`).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// The counts; shared by the accept loop and every connection's `Slot`.
#[derive(Debug)]
pub struct PerAddress {
    max: usize,
    exempt: Vec<IpAddr>,
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One admitted connection; dropping it frees the place.
#[derive(Debug)]
pub struct Slot {
    owner: Arc<PerAddress>,
    key: Option<IpAddr>,
}

/// What an address is counted as.
fn key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

impl PerAddress {
    pub fn new(max: usize, exempt: &[IpAddr]) -> Arc<PerAddress> {
        Arc::new(PerAddress {
            max,
            exempt: exempt.iter().map(|ip| ip.to_canonical()).collect(),
            open: Mutex::new(HashMap::new()),
        })
    }

    /// A place for a connection from `ip`, or `None` when it holds the
    /// maximum already.
    pub fn admit(self: &Arc<Self>, ip: IpAddr) -> Option<Slot> {
        if self.max == 0 || self.exempt.contains(&ip.to_canonical()) {
            return Some(Slot {
                owner: self.clone(),
                key: None,
            });
        }
        let k = key(ip);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(k).or_insert(0);
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(Slot {
            owner: self.clone(),
            key: Some(k),
        })
    }

    /// Open connections from `ip` (for tests).
    pub fn count(&self, ip: IpAddr) -> usize {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.get(&key(ip)).copied().unwrap_or(0)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let Some(k) = self.key else { return };
        let mut open = self.owner.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&k) {
            *n -= 1;
            if *n == 0 {
                open.remove(&k);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_per_address_and_frees_on_drop() {
        let p = PerAddress::new(2, &["127.0.0.1".parse().unwrap()]);
        let a: IpAddr = "203.0.113.7".parse().unwrap();
        let s1 = p.admit(a).unwrap();
        let _s2 = p.admit(a).unwrap();
        assert!(p.admit(a).is_none());
        assert!(p.admit("203.0.113.8".parse().unwrap()).is_some());
        drop(s1);
        assert!(p.admit(a).is_some());
        // trusted proxies are not counted
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        let many: Vec<_> = (0..10).map(|_| p.admit(lo).unwrap()).collect();
        assert_eq!(many.len(), 10);
        // an IPv6 /64 is one client
        let v6a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let v6b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let _x = p.admit(v6a).unwrap();
        let _y = p.admit(v6b).unwrap();
        assert!(p.admit(v6a).is_none());
        assert_eq!(p.count(v6b), 2);
        // 0 = no cap
        let free = PerAddress::new(0, &[]);
        let all: Vec<_> = (0..100).map(|_| free.admit(a).unwrap()).collect();
        assert_eq!(all.len(), 100);
    }
}
