//! Server-side request forgery: a webhook may only reach public addresses,
//! or those inside `WEBHOOK_ALLOWED_NETWORKS`. Checked when a webhook is
//! registered, and again at each delivery on the addresses the name
//! resolves to then, which are the only ones the attempt may connect to.

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::Arc,
};

use ipnet::IpNet;

/// Blocks that are not the public internet (RFC 6890 and its successors).
const NOT_PUBLIC: &[&str] = &[
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.88.99.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
    "::/128",
    "::1/128",
    "64:ff9b:1::/48",
    "100::/64",
    "2001::/23",
    "2001:db8::/32",
    "2002::/16",
    "fc00::/7",
    "fe80::/10",
    "fec0::/10",
    "ff00::/8",
];

/// Which addresses a webhook may reach.
#[derive(Clone, Debug, Default)]
pub struct AddressPolicy {
    allowed: Arc<Vec<IpNet>>,
}

impl AddressPolicy {
    pub fn new(allowed: Vec<IpNet>) -> Self {
        AddressPolicy {
            allowed: Arc::new(allowed),
        }
    }

    /// Public, or allowed by configuration. An IPv4 address written as
    /// IPv6 (`::ffff:a.b.c.d`, NAT64) is judged as the IPv4 one.
    pub fn permits(&self, ip: IpAddr) -> bool {
        let ip = embedded_ipv4(ip).map_or(ip, IpAddr::V4);
        self.allowed.iter().any(|net| net.contains(&ip)) || is_public(ip)
    }

    /// The addresses `host` resolves to, all of which must be permitted.
    pub async fn resolve(&self, host: &str, port: u16) -> Result<Vec<SocketAddr>, Unreachable> {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let found: Vec<SocketAddr> = match host.parse::<IpAddr>() {
            Ok(ip) => vec![SocketAddr::new(ip, port)],
            Err(_) => tokio::net::lookup_host((host, port))
                .await
                .map_err(|err| Unreachable::Unresolved(format!("{host} does not resolve ({err})")))?
                .collect(),
        };
        if found.is_empty() {
            return Err(Unreachable::Unresolved(format!("{host} does not resolve")));
        }
        // The message names neither host nor address: it would tell a
        // caller what the service's own resolver knows of internal names.
        if found.iter().any(|addr| !self.permits(addr.ip())) {
            return Err(Unreachable::NotPublic(
                "the host is, or resolves to, an address that is not public \
                 (WEBHOOK_ALLOWED_NETWORKS can allow it)"
                    .into(),
            ));
        }
        Ok(found)
    }
}

/// Why a host may not be reached, in words for the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unreachable {
    /// It is, or resolves to, an address the policy refuses.
    #[error("{0}")]
    NotPublic(String),
    /// It does not resolve (now).
    #[error("{0}")]
    Unresolved(String),
}

fn is_public(ip: IpAddr) -> bool {
    !NOT_PUBLIC.iter().any(|block| {
        block
            .parse::<IpNet>()
            .is_ok_and(|block| block.contains(&ip))
    })
}

/// The IPv4 address inside an IPv4-mapped or NAT64 IPv6 address.
fn embedded_ipv4(ip: IpAddr) -> Option<Ipv4Addr> {
    let IpAddr::V6(v6) = ip else { return None };
    if let Some(v4) = v6.to_ipv4_mapped() {
        return Some(v4);
    }
    let nat64 = Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0);
    let segments = v6.segments();
    (segments[..6] == nat64.segments()[..6]).then(|| {
        let [a, b] = segments[6].to_be_bytes();
        let [c, d] = segments[7].to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_pass_unless_allowed() {
        let policy = AddressPolicy::default();
        for refused in [
            "127.0.0.1",
            "10.1.2.3",
            "172.20.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "64:ff9b::a00:1",
        ] {
            let ip: IpAddr = refused.parse().expect(refused);
            assert!(!policy.permits(ip), "{refused}");
        }
        for public in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            let ip: IpAddr = public.parse().expect(public);
            assert!(policy.permits(ip), "{public}");
        }
        let loopback = AddressPolicy::new(vec!["127.0.0.0/8".parse().expect("cidr")]);
        assert!(loopback.permits("127.0.0.1".parse().expect("ip")));
        assert!(!loopback.permits("10.0.0.1".parse().expect("ip")));
    }

    #[tokio::test]
    async fn names_are_judged_by_what_they_resolve_to() {
        let policy = AddressPolicy::default();
        let err = policy.resolve("localhost", 80).await.unwrap_err();
        assert!(matches!(err, Unreachable::NotPublic(_)), "{err}");
        // Refused without telling what the name resolved to.
        let err = policy.resolve("[::1]", 80).await.unwrap_err();
        assert!(matches!(err, Unreachable::NotPublic(_)), "{err}");
        assert!(!err.to_string().contains("::1"), "{err}");
    }
}
