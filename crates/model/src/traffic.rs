//! Sets of traffic — protocols with port ranges — and the operations filters apply to them.
//! Carrying a set through a path, rather than one port, answers "on which ports?" and
//! "on any port?" exactly.

use std::fmt;

use crate::check::parse_ports;
use crate::element::RuleProtocol;
use crate::link::FlowProtocol;

/// A transport protocol as filters see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Proto {
    Tcp,
    Udp,
    Icmp,
}

/// A set of (protocol, first port, last port); ICMP has no ports and is written (Icmp, 0, 0).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Traffic(Vec<(Proto, u16, u16)>);

const ALL_PORTS: (u16, u16) = (0, u16::MAX);

impl Traffic {
    /// The traffic of a query or a flow: one protocol (or all) and one port (or all).
    pub fn of(protocol: FlowProtocol, port: Option<u16>) -> Traffic {
        let (low, high) = port.map_or(ALL_PORTS, |p| (p, p));
        let protos: &[Proto] = match protocol {
            FlowProtocol::Tcp => &[Proto::Tcp],
            FlowProtocol::Udp => &[Proto::Udp],
            FlowProtocol::Icmp => &[Proto::Icmp],
            // ICMP carries no port: "any protocol on port 443" is TCP and UDP.
            FlowProtocol::Any if port.is_some() => &[Proto::Tcp, Proto::Udp],
            FlowProtocol::Any => &[Proto::Tcp, Proto::Udp, Proto::Icmp],
        };
        Traffic::from_parts(protos.iter().map(|p| (*p, low, high)).collect())
    }

    /// The traffic a rule matches: its protocol and destination ports. Ports that do not
    /// parse match nothing (the structural check reports them).
    pub fn of_rule(protocol: RuleProtocol, ports: &str) -> Traffic {
        let ranges = parse_ports(ports).unwrap_or_default();
        let protos: &[Proto] = match protocol {
            RuleProtocol::Tcp => &[Proto::Tcp],
            RuleProtocol::Udp => &[Proto::Udp],
            RuleProtocol::Icmp => &[Proto::Icmp],
            RuleProtocol::Any => &[Proto::Tcp, Proto::Udp, Proto::Icmp],
        };
        let mut parts = Vec::new();
        for proto in protos {
            for (low, high) in &ranges {
                parts.push((*proto, *low, *high));
            }
        }
        Traffic::from_parts(parts)
    }

    fn from_parts(parts: Vec<(Proto, u16, u16)>) -> Traffic {
        let mut parts: Vec<(Proto, u16, u16)> =
            parts.into_iter().map(|(p, l, h)| if p == Proto::Icmp { (p, 0, 0) } else { (p, l, h) }).collect();
        crate::sorting::sort(&mut parts);
        let mut merged: Vec<(Proto, u16, u16)> = Vec::new();
        for (proto, low, high) in parts {
            match merged.last_mut() {
                Some((p, _, h)) if *p == proto && u32::from(low) <= u32::from(*h) + 1 => *h = (*h).max(high),
                _ => merged.push((proto, low, high)),
            }
        }
        Traffic(merged)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn intersect(&self, other: &Traffic) -> Traffic {
        let mut parts = Vec::new();
        for (p, l, h) in &self.0 {
            for (q, m, k) in &other.0 {
                if p == q && l.max(m) <= h.min(k) {
                    parts.push((*p, *l.max(m), *h.min(k)));
                }
            }
        }
        Traffic::from_parts(parts)
    }

    pub fn subtract(&self, other: &Traffic) -> Traffic {
        let mut parts = Vec::new();
        for (p, l, h) in &self.0 {
            let mut pieces = vec![(*l, *h)];
            for (q, m, k) in &other.0 {
                if p != q {
                    continue;
                }
                pieces = pieces
                    .into_iter()
                    .flat_map(|(a, b)| {
                        let mut keep = Vec::new();
                        if *k < a || *m > b {
                            keep.push((a, b));
                        } else {
                            if *m > a {
                                keep.push((a, m - 1));
                            }
                            if *k < b {
                                keep.push((k + 1, b));
                            }
                        }
                        keep
                    })
                    .collect();
            }
            parts.extend(pieces.into_iter().map(|(a, b)| (*p, a, b)));
        }
        Traffic::from_parts(parts)
    }

    pub fn union(&self, other: &Traffic) -> Traffic {
        Traffic::from_parts(self.0.iter().chain(other.0.iter()).copied().collect())
    }

    /// Each part in words: `tcp/443`, `udp/1000-2000`, `tcp/*`, `icmp`.
    pub fn describe(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|(proto, low, high)| {
                let name = match proto {
                    Proto::Tcp => "tcp",
                    Proto::Udp => "udp",
                    Proto::Icmp => return "icmp".to_owned(),
                };
                match (*low, *high) {
                    (0, u16::MAX) => format!("{name}/*"),
                    (l, h) if l == h => format!("{name}/{l}"),
                    (l, h) => format!("{name}/{l}-{h}"),
                }
            })
            .collect()
    }
}

impl fmt::Display for Traffic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe().join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        let all_tcp = Traffic::of(FlowProtocol::Tcp, None);
        let web = Traffic::of_rule(RuleProtocol::Tcp, "80,443");
        assert_eq!(all_tcp.intersect(&web).describe(), ["tcp/80", "tcp/443"]);
        assert_eq!(all_tcp.subtract(&web).describe(), ["tcp/0-79", "tcp/81-442", "tcp/444-65535"]);
        assert!(Traffic::of(FlowProtocol::Icmp, None).intersect(&web).is_empty());
        assert_eq!(Traffic::of(FlowProtocol::Any, Some(53)).describe(), ["tcp/53", "udp/53"]);
        assert_eq!(web.union(&Traffic::of_rule(RuleProtocol::Tcp, "81-442")).describe(), ["tcp/80-443"]);
        assert!(Traffic::of_rule(RuleProtocol::Any, "*").subtract(&Traffic::of(FlowProtocol::Any, None)).is_empty());
    }
}
